// IAM API Reference: PutUserPolicy, GetUserPolicy, ListUserPolicies, DeleteUserPolicy and the
// same four for groups. Quotas (IAM User Guide, "IAM and AWS STS quotas"): a user's inline
// policies together up to 2,048 characters, a group's up to 5,120, whitespace not counted.
import { limitExceeded } from '../errors.ts';
import { parsePolicyDocument, policySize } from '../policy-document.ts';
import { rules } from '../rules.ts';
import type { EntityType } from '../store/policies.ts';
import { required } from '../validation.ts';
import type { ActionContext, ActionSpec } from './action.ts';
import { encodeDocument, groupResource, listResult, userResource } from './common.ts';

const INLINE_SIZE: Record<EntityType, number> = { user: 2048, group: 5120 };

function inlinePolicyActions(entity: EntityType) {
  const nameParam = entity === 'user' ? 'UserName' : 'GroupName';
  const nameRule = required(entity === 'user' ? rules.userName : rules.groupName);
  const resource = entity === 'user' ? userResource : groupResource;
  const entityName = ({ params, store }: ActionContext): string =>
    entity === 'user' ? store.users.get(params.required('UserName')).userName : store.groups.get(params.required('GroupName')).groupName;

  const put: ActionSpec = {
    service: 'iam',
    params: { [nameParam]: nameRule, PolicyName: required(rules.policyName), PolicyDocument: required(rules.policyDocument) },
    resource,
    mutates: true,
    handler: (ctx) => {
      const name = entityName(ctx);
      const policyName = ctx.params.required('PolicyName');
      const document = ctx.params.required('PolicyDocument');
      parsePolicyDocument(document);
      const others = ctx.store.inlinePolicies.list(entity, name).filter((p) => p.policyName.toLowerCase() !== policyName.toLowerCase());
      const total = others.reduce((sum, p) => sum + policySize(p.document), policySize(document));
      if (total > INLINE_SIZE[entity]) throw limitExceeded(`Maximum policy size of ${INLINE_SIZE[entity]} bytes exceeded for ${entity} ${name}`);
      ctx.store.inlinePolicies.put(entity, name, policyName, document);
      return undefined;
    },
  };
  const get: ActionSpec = {
    service: 'iam',
    params: { [nameParam]: nameRule, PolicyName: required(rules.policyName) },
    resource,
    mutates: false,
    handler: (ctx) => {
      const name = entityName(ctx);
      const policy = ctx.store.inlinePolicies.get(entity, name, ctx.params.required('PolicyName'));
      return { [nameParam]: name, PolicyName: policy.policyName, PolicyDocument: encodeDocument(policy.document) };
    },
  };
  const list: ActionSpec = {
    service: 'iam',
    params: { [nameParam]: nameRule, Marker: rules.marker, MaxItems: rules.maxItems },
    resource,
    mutates: false,
    handler: (ctx) => listResult('PolicyNames', ctx.store.inlinePolicies.list(entity, entityName(ctx)), ctx, (p) => p.policyName),
  };
  const remove: ActionSpec = {
    service: 'iam',
    params: { [nameParam]: nameRule, PolicyName: required(rules.policyName) },
    resource,
    mutates: true,
    handler: (ctx) => {
      ctx.store.inlinePolicies.delete(entity, entityName(ctx), ctx.params.required('PolicyName'));
      return undefined;
    },
  };
  return { put, get, list, remove };
}

const user = inlinePolicyActions('user');
const group = inlinePolicyActions('group');

export const PutUserPolicy = user.put;
export const GetUserPolicy = user.get;
export const ListUserPolicies = user.list;
export const DeleteUserPolicy = user.remove;
export const PutGroupPolicy = group.put;
export const GetGroupPolicy = group.get;
export const ListGroupPolicies = group.list;
export const DeleteGroupPolicy = group.remove;
