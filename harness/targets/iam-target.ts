// IAM targets: where the harness finds an IAM + STS endpoint, chosen by `--iam`. `mock` is the
// embedded mock on a loopback port; `aws` and `aws:PROFILE` are a real account through the AWS
// SDK's normal credential chain. Both are driven by the same @aws-sdk clients; what differs is
// where the client settings point and what else the target can do (the mock's console).
import type { IAMClientConfig } from '@aws-sdk/client-iam';
import type { STSClientConfig } from '@aws-sdk/client-sts';
import type { CleanupReport } from '../iam/cleanup-report.ts';
import type { IamResources } from '../iam/resources.ts';
import { openAwsIamTarget } from './aws-iam-target.ts';
import { openMockIamTarget } from './mock-iam-target.ts';
import { TargetError } from './target-error.ts';
import { IAM_TARGET_FORMS } from './target-forms.ts';

/** What a scenario may need beyond IAM API calls. */
export type IamCapability =
  /** The harness drives the console itself (the mock's console pages); on AWS console steps are guided. */
  | 'console-automation'
  /** A person does console-only steps, guided by the harness (a real account). */
  | 'guided-console';

/** A target's self-description, for output and reports. */
export interface IamDescription {
  /** The `--iam` value: `mock`, `aws` or `aws:PROFILE`. */
  target: string;
  kind: 'mock' | 'aws';
  /** The URL IAM requests go to. */
  endpoint: string;
  /** From STS GetCallerIdentity. */
  accountId: string;
  /** The region requests are signed for (IAM is global: us-east-1). */
  region: string;
  /** Who the harness is there: the admin principal's ARN. */
  principalArn: string;
}

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** Settings that fit both an IAMClient and an STSClient. */
export type IamClientConfig = IAMClientConfig & STSClientConfig;

export interface IamTarget {
  readonly description: IamDescription;
  /** Client settings for the admin (the target's own credentials) or for given keys (a test user's). */
  clientConfig(credentials?: AwsCredentials): IamClientConfig;
  /** 'console-automation' on the mock; absent on aws, where console steps are guided. */
  readonly capabilities: ReadonlySet<IamCapability>;
  /** Base URL of the mock's console, e.g. http://127.0.0.1:PORT/console (mock only). */
  readonly consoleUrl?: string;
  /** The run's users and policies: created with the run's prefix, path and tags, removed on close. */
  readonly resources: IamResources;
  /** Removes the run's resources, then stops the target; runs once, later calls share the report. */
  close(): Promise<CleanupReport>;
}

export type IamTargetSpec = { kind: 'mock' } | { kind: 'aws'; profile?: string };

export function parseIamTarget(spec: string): IamTargetSpec {
  if (spec === 'mock') return { kind: 'mock' };
  if (spec === 'aws') return { kind: 'aws' };
  const profile = /^aws:(\S+)$/.exec(spec)?.[1];
  if (profile !== undefined) return { kind: 'aws', profile };
  throw new TargetError(`IAM target '${spec}': expected one of ${IAM_TARGET_FORMS.join(', ')}`);
}

export interface OpenIamTargetOptions {
  /** The run whose resources the target creates and removes. */
  runId: string;
}

export async function openIamTarget(spec: string, { runId }: OpenIamTargetOptions): Promise<IamTarget> {
  const parsed = parseIamTarget(spec);
  return parsed.kind === 'mock' ? openMockIamTarget({ runId }) : openAwsIamTarget({ runId, profile: parsed.profile });
}
