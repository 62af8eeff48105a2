// IAM API Reference: CreateAccountAlias, DeleteAccountAlias, ListAccountAliases (an account has at
// most one alias; creating another replaces it).
import { noSuchEntity } from '../errors.ts';
import { rules } from '../rules.ts';
import { required } from '../validation.ts';
import type { ActionSpec } from './action.ts';
import { listResult } from './common.ts';

export const CreateAccountAlias: ActionSpec = {
  service: 'iam',
  params: { AccountAlias: required(rules.accountAlias) },
  resource: () => '*',
  mutates: true,
  handler: ({ params, store }) => {
    store.accountAlias = params.required('AccountAlias');
    return undefined;
  },
};

export const DeleteAccountAlias: ActionSpec = {
  service: 'iam',
  params: { AccountAlias: required(rules.accountAlias) },
  resource: () => '*',
  mutates: true,
  handler: ({ params, store }) => {
    const alias = params.required('AccountAlias');
    if (store.accountAlias !== alias) throw noSuchEntity(`The account alias ${alias} cannot be found.`);
    store.accountAlias = undefined;
    return undefined;
  },
};

export const ListAccountAliases: ActionSpec = {
  service: 'iam',
  params: { Marker: rules.marker, MaxItems: rules.maxItems },
  resource: () => '*',
  mutates: false,
  handler: (ctx) => {
    const alias = ctx.store.accountAlias;
    return listResult('AccountAliases', alias === undefined ? [] : [alias], ctx, (a) => a);
  },
};
