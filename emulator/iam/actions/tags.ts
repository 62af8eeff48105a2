// IAM API Reference: TagUser, UntagUser, ListUserTags, TagPolicy, UntagPolicy, ListPolicyTags.
import { rules } from '../rules.ts';
import type { TaggedEntity } from '../store/tags.ts';
import { list, required } from '../validation.ts';
import type { ActionContext, ActionSpec, ResourceContext } from './action.ts';
import { listResult, ownPolicy, policyResource, requireTargetUser, userResource } from './common.ts';
import { requestTags, tagKey, tagShape, tagsParam } from './tag-members.ts';

/** Tag, Untag and ListTags for one kind of entity, found by its request parameter. */
function tagActions(entity: TaggedEntity, idParam: 'UserName' | 'PolicyArn') {
  const resource: (request: ResourceContext) => string = entity === 'user' ? userResource : policyResource;
  const idRule = entity === 'user' ? rules.userName : rules.arn;
  // AWS managed policies belong to AWS: they cannot be tagged by an account.
  const entityId = (ctx: ActionContext, changing: boolean): string =>
    entity === 'user' ? requireTargetUser(ctx).userName : changing ? ownPolicy(ctx).arn : ctx.store.policies.get(ctx.params.required('PolicyArn')).arn;
  const tag: ActionSpec = {
    service: 'iam',
    params: { [idParam]: required(idRule), Tags: required(tagsParam) },
    resource,
    mutates: true,
    handler: (ctx) => {
      ctx.store.tags.add(entity, entityId(ctx, true), requestTags(ctx.params));
      return undefined;
    },
  };
  const untag: ActionSpec = {
    service: 'iam',
    params: { [idParam]: required(idRule), TagKeys: required(list(tagKey)) },
    resource,
    mutates: true,
    handler: (ctx) => {
      ctx.store.tags.remove(entity, entityId(ctx, true), ctx.params.list('TagKeys') ?? []);
      return undefined;
    },
  };
  const listTags: ActionSpec = {
    service: 'iam',
    params: { [idParam]: required(idRule), Marker: rules.marker, MaxItems: rules.maxItems },
    resource,
    mutates: false,
    handler: (ctx) => listResult('Tags', ctx.store.tags.list(entity, entityId(ctx, false)), ctx, tagShape),
  };
  return { tag, untag, listTags };
}

const userTags = tagActions('user', 'UserName');
const policyTags = tagActions('policy', 'PolicyArn');

export const TagUser = userTags.tag;
export const UntagUser = userTags.untag;
export const ListUserTags = userTags.listTags;
export const TagPolicy = policyTags.tag;
export const UntagPolicy = policyTags.untag;
export const ListPolicyTags = policyTags.listTags;
