// The action table: every IAM and STS action the mock serves, by its Query API `Action` name,
// with the IAM action that authorizes it (`service:Action`, as in the service authorization
// reference).
import * as account from './account.ts';
import type { ActionSpec, Service } from './action.ts';
import * as credentials from './credentials.ts';
import * as groups from './groups.ts';
import * as inlinePolicies from './inline-policies.ts';
import * as managedPolicies from './managed-policies.ts';
import * as mfa from './mfa.ts';
import * as simulate from './simulate.ts';
import * as sts from './sts.ts';
import * as tags from './tags.ts';
import * as users from './users.ts';

export type ActionEntry = ActionSpec & { name: string; iamAction: string };

/** Service XML namespaces (the API references' `xmlns`) and API versions. */
export const SERVICES = {
  iam: { namespace: 'https://iam.amazonaws.com/doc/2010-05-08/', version: '2010-05-08' },
  sts: { namespace: 'https://sts.amazonaws.com/doc/2011-06-15/', version: '2011-06-15' },
} as const satisfies Record<Service, { namespace: string; version: string }>;

const modules: ReadonlyArray<Record<string, ActionSpec>> = [users, credentials, groups, managedPolicies, inlinePolicies, tags, account, mfa, simulate, sts];

export const ACTIONS: ReadonlyMap<string, ActionEntry> = new Map(
  modules.flatMap((module) =>
    Object.entries(module).map(([name, spec]): [string, ActionEntry] => [`${spec.service}:${name}`, { ...spec, name, iamAction: `${spec.service}:${name}` }]),
  ),
);

/** The action a request names, looked up under the service its signature is scoped to. */
export const findAction = (service: string, action: string): ActionEntry | undefined => ACTIONS.get(`${service}:${action}`);
