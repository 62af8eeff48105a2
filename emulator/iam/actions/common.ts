// Helpers shared by the action modules: whose user an action is about, whose policy may be
// changed, resource ARNs for authorization, Marker/MaxItems pagination, and AWS's shapes for users
// and groups.
import { groupArn, parseIamArn, policyArn, rootArn, userArn } from '../arns.ts';
import { IamError, invalidInput } from '../errors.ts';
import type { Group } from '../store/groups.ts';
import type { ManagedPolicy } from '../store/policies.ts';
import type { User } from '../store/users.ts';
import type { XmlObject, XmlValue } from '../xml.ts';
import type { ActionContext, ResourceContext } from './action.ts';

/** The `UserName` parameter, or the caller's own user when it is omitted. */
export function targetUserName({ params, caller }: Pick<ResourceContext, 'params' | 'caller'>): string | undefined {
  return params.optional('UserName') ?? caller.userName;
}

/** Like targetUserName, for actions the root user cannot be the subject of. */
export function requireTargetUser(ctx: ActionContext): User {
  const name = targetUserName(ctx);
  if (name === undefined) throw new IamError('ValidationError', "1 validation error detected: Value null at 'userName' failed to satisfy constraint: Member must not be null");
  return ctx.store.users.get(name);
}

/** ARN of the user a request is about (the caller's when UserName is omitted). */
export function userResource(request: ResourceContext): string {
  const name = targetUserName(request);
  if (name === undefined) return rootArn(request.store.accountId);
  return request.store.users.find(name)?.arn ?? userArn(request.store.accountId, '/', name);
}

export function groupResource({ params, store }: ResourceContext): string {
  const name = params.required('GroupName');
  return store.groups.find(name)?.arn ?? groupArn(store.accountId, '/', name);
}

/**
 * The `PolicyArn` member, which must be a policy's ARN (AWS: InvalidInput "ARN … is not valid."):
 * checked before authorization, so every caller gets the same answer and policies are only ever
 * evaluated against a policy resource.
 */
export function policyResource({ params }: ResourceContext): string {
  const arn = params.required('PolicyArn');
  if (parseIamArn(arn)?.type !== 'policy') throw invalidInput(`ARN ${arn} is not valid.`);
  return arn;
}

/** The `PolicyArn` policy when it belongs to the caller's account, which alone can change it. */
export function ownPolicy({ params, store }: Pick<ActionContext, 'params' | 'store'>): ManagedPolicy {
  const policy = store.policies.get(params.required('PolicyArn'));
  if (policy.awsManaged) throw new IamError('AccessDenied', `AWS managed policy ${policy.arn} cannot be changed or deleted.`);
  return policy;
}

/** Resource of a Create action: the ARN the new entity will have. */
export const newEntityResource =
  (arn: (accountId: string, path: string, name: string) => string, nameParam: string) =>
  ({ params, store }: ResourceContext): string =>
    arn(store.accountId, params.optional('Path') ?? '/', params.required(nameParam));

export const newPolicyResource = newEntityResource(policyArn, 'PolicyName');

/** A list page per Marker and MaxItems (default 100), with IsTruncated and the next Marker. */
export function page<T>(items: readonly T[], { params }: Pick<ActionContext, 'params'>): { items: T[]; IsTruncated: boolean; Marker: string | undefined } {
  const marker = params.optional('Marker');
  const maxItems = params.integer('MaxItems') ?? 100;
  let start = 0;
  if (marker !== undefined) {
    const decoded = /^keyloop:(\d+)$/.exec(Buffer.from(marker, 'base64url').toString());
    if (!decoded) throw invalidInput('Invalid Marker.');
    start = Number(decoded[1]);
  }
  const end = start + maxItems;
  const truncated = end < items.length;
  return {
    items: items.slice(start, end),
    IsTruncated: truncated,
    Marker: truncated ? Buffer.from(`keyloop:${end}`).toString('base64url') : undefined,
  };
}

/** `{ [listName]: page, IsTruncated, Marker }` for a List action's result. */
export function listResult<T>(listName: string, items: readonly T[], ctx: Pick<ActionContext, 'params'>, shape: (item: T) => XmlValue): XmlObject {
  const { items: pageItems, IsTruncated, Marker } = page(items, ctx);
  return { [listName]: pageItems.map(shape), IsTruncated, Marker };
}

export const userShape = (user: User): XmlObject => ({
  Path: user.path,
  UserName: user.userName,
  UserId: user.userId,
  Arn: user.arn,
  CreateDate: user.createDate,
});

export const groupShape = (group: Group): XmlObject => ({
  Path: group.path,
  GroupName: group.groupName,
  GroupId: group.groupId,
  Arn: group.arn,
  CreateDate: group.createDate,
});

/** Policy documents travel URL-encoded (RFC 3986) inside the XML, as AWS returns them. */
export const encodeDocument = (text: string): string => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
