// IAM API Reference: CreatePolicy, GetPolicy, ListPolicies, DeletePolicy, CreatePolicyVersion,
// GetPolicyVersion, ListPolicyVersions, DeletePolicyVersion, AttachUserPolicy, DetachUserPolicy,
// ListAttachedUserPolicies, AttachGroupPolicy, DetachGroupPolicy, ListAttachedGroupPolicies.
// CreatePolicy takes and GetPolicy returns the policy's tags.
import { parseIamArn, policyArn } from '../arns.ts';
import { IamError, limitExceeded } from '../errors.ts';
import { parsePolicyDocument, policySize } from '../policy-document.ts';
import { rules } from '../rules.ts';
import type { EntityType, ManagedPolicy, PolicyVersion } from '../store/policies.ts';
import { bool, required } from '../validation.ts';
import type { ActionContext, ActionSpec, ResourceContext } from './action.ts';
import { encodeDocument, groupResource, listResult, newPolicyResource, ownPolicy, policyResource, requireTargetUser, userResource } from './common.ts';
import { requestTags, tagsField, tagsParam } from './tag-members.ts';

/** IAM User Guide, "IAM and AWS STS quotas": managed policy size, whitespace not counted. */
const MANAGED_POLICY_SIZE = 6144;

function checkedDocument(text: string): string {
  parsePolicyDocument(text);
  if (policySize(text) > MANAGED_POLICY_SIZE) throw limitExceeded(`Cannot exceed quota for PolicySize: ${MANAGED_POLICY_SIZE}`);
  return text;
}

const policyShape = (policy: ManagedPolicy, withDescription: boolean) => ({
  PolicyName: policy.policyName,
  PolicyId: policy.policyId,
  Arn: policy.arn,
  Path: policy.path,
  DefaultVersionId: policy.defaultVersionId,
  AttachmentCount: policy.attachmentCount,
  PermissionsBoundaryUsageCount: 0,
  IsAttachable: true,
  Description: withDescription ? policy.description : undefined,
  CreateDate: policy.createDate,
  UpdateDate: policy.updateDate,
});

const versionShape = (version: PolicyVersion, withDocument: boolean) => ({
  Document: withDocument ? encodeDocument(version.document) : undefined,
  VersionId: version.versionId,
  IsDefaultVersion: version.isDefaultVersion,
  CreateDate: version.createDate,
});

export const CreatePolicy: ActionSpec = {
  service: 'iam',
  params: { PolicyName: required(rules.policyName), Path: rules.path, PolicyDocument: required(rules.policyDocument), Description: rules.description, Tags: tagsParam },
  resource: newPolicyResource,
  mutates: true,
  handler: ({ params, store }) => {
    const policy = store.policies.create({
      policyName: params.required('PolicyName'),
      path: params.optional('Path'),
      document: checkedDocument(params.required('PolicyDocument')),
      description: params.optional('Description'),
    });
    store.tags.add('policy', policy.arn, requestTags(params));
    return { Policy: { ...policyShape(policy, true), Tags: tagsField(store.tags.list('policy', policy.arn)) } };
  },
};

export const GetPolicy: ActionSpec = {
  service: 'iam',
  params: { PolicyArn: required(rules.arn) },
  resource: policyResource,
  mutates: false,
  handler: ({ params, store }) => {
    const policy = store.policies.get(params.required('PolicyArn'));
    return { Policy: { ...policyShape(policy, true), Tags: tagsField(store.tags.list('policy', policy.arn)) } };
  },
};

export const ListPolicies: ActionSpec = {
  service: 'iam',
  params: {
    Scope: rules.policyScope,
    OnlyAttached: bool(),
    PathPrefix: rules.policyPathPrefix,
    PolicyUsageFilter: rules.policyUsageFilter,
    Marker: rules.marker,
    MaxItems: rules.maxItems,
  },
  resource: ({ store }) => policyArn(store.accountId, '/', ''),
  mutates: false,
  handler: (ctx) => {
    const { params, store } = ctx;
    // The mock has no permissions boundaries, so filtering on that usage leaves nothing.
    const policies =
      params.optional('PolicyUsageFilter') === 'PermissionsBoundary'
        ? []
        : store.policies.list({
            scope: (params.optional('Scope') ?? 'All') as 'All' | 'AWS' | 'Local',
            onlyAttached: params.boolean('OnlyAttached') ?? false,
            pathPrefix: params.optional('PathPrefix'),
          });
    return listResult('Policies', policies, ctx, (policy) => policyShape(policy, false));
  },
};

export const DeletePolicy: ActionSpec = {
  service: 'iam',
  params: { PolicyArn: required(rules.arn) },
  resource: policyResource,
  mutates: true,
  handler: (ctx) => {
    ctx.store.policies.delete(ownPolicy(ctx).arn);
    return undefined;
  },
};

export const CreatePolicyVersion: ActionSpec = {
  service: 'iam',
  params: { PolicyArn: required(rules.arn), PolicyDocument: required(rules.policyDocument), SetAsDefault: bool() },
  resource: policyResource,
  mutates: true,
  handler: (ctx) => {
    const policy = ownPolicy(ctx);
    const version = ctx.store.policies.createVersion(policy.arn, {
      document: checkedDocument(ctx.params.required('PolicyDocument')),
      setAsDefault: ctx.params.boolean('SetAsDefault') ?? false,
    });
    return { PolicyVersion: versionShape(version, false) };
  },
};

export const GetPolicyVersion: ActionSpec = {
  service: 'iam',
  params: { PolicyArn: required(rules.arn), VersionId: required(rules.versionId) },
  resource: policyResource,
  mutates: false,
  handler: ({ params, store }) => ({
    PolicyVersion: versionShape(store.policies.getVersion(params.required('PolicyArn'), params.required('VersionId')), true),
  }),
};

export const ListPolicyVersions: ActionSpec = {
  service: 'iam',
  params: { PolicyArn: required(rules.arn), Marker: rules.marker, MaxItems: rules.maxItems },
  resource: policyResource,
  mutates: false,
  handler: (ctx) => listResult('Versions', ctx.store.policies.listVersions(ctx.params.required('PolicyArn')), ctx, (v) => versionShape(v, false)),
};

export const DeletePolicyVersion: ActionSpec = {
  service: 'iam',
  params: { PolicyArn: required(rules.arn), VersionId: required(rules.versionId) },
  resource: policyResource,
  mutates: true,
  handler: (ctx) => {
    ctx.store.policies.deleteVersion(ownPolicy(ctx).arn, ctx.params.required('VersionId'));
    return undefined;
  },
};

/** Attach, Detach and ListAttached for one kind of entity. */
function attachmentActions(entity: EntityType, nameParam: 'UserName' | 'GroupName') {
  const resource: (request: ResourceContext) => string = entity === 'user' ? userResource : groupResource;
  const entityName = (ctx: ActionContext): string =>
    entity === 'user' ? requireTargetUser(ctx).userName : ctx.store.groups.get(ctx.params.required('GroupName')).groupName;
  const nameRule = entity === 'user' ? rules.userName : rules.groupName;
  const checkedArn = (ctx: ActionContext): string => {
    const arn = ctx.params.required('PolicyArn');
    if (parseIamArn(arn)?.type !== 'policy') throw new IamError('InvalidInput', `ARN ${arn} is not valid.`);
    return arn;
  };
  const attach: ActionSpec = {
    service: 'iam',
    params: { [nameParam]: required(nameRule), PolicyArn: required(rules.arn) },
    resource,
    mutates: true,
    handler: (ctx) => {
      ctx.store.policies.attach(entity, entityName(ctx), checkedArn(ctx));
      return undefined;
    },
  };
  const detach: ActionSpec = {
    ...attach,
    handler: (ctx) => {
      ctx.store.policies.detach(entity, entityName(ctx), checkedArn(ctx));
      return undefined;
    },
  };
  const listAttached: ActionSpec = {
    service: 'iam',
    params: { [nameParam]: required(nameRule), PathPrefix: rules.policyPathPrefix, Marker: rules.marker, MaxItems: rules.maxItems },
    resource,
    mutates: false,
    handler: (ctx) => {
      const prefix = ctx.params.optional('PathPrefix') ?? '/';
      const policies = ctx.store.policies.attached(entity, entityName(ctx)).filter((policy) => policy.path.startsWith(prefix));
      return listResult('AttachedPolicies', policies, ctx, (policy) => ({ PolicyName: policy.policyName, PolicyArn: policy.arn }));
    },
  };
  return { attach, detach, listAttached };
}

const userAttachments = attachmentActions('user', 'UserName');
const groupAttachments = attachmentActions('group', 'GroupName');

export const AttachUserPolicy = userAttachments.attach;
export const DetachUserPolicy = userAttachments.detach;
export const ListAttachedUserPolicies = userAttachments.listAttached;
export const AttachGroupPolicy = groupAttachments.attach;
export const DetachGroupPolicy = groupAttachments.detach;
export const ListAttachedGroupPolicies = groupAttachments.listAttached;
