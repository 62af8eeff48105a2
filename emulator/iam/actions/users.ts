// IAM API Reference: CreateUser, GetUser, ListUsers, DeleteUser, ChangePassword. CreateUser takes
// and GetUser returns the user's tags.
import { userArn } from '../arns.ts';
import { deleteConflict, IamError } from '../errors.ts';
import { checkPasswordPolicy } from '../passwords.ts';
import { rules } from '../rules.ts';
import { required } from '../validation.ts';
import type { ActionSpec } from './action.ts';
import { listResult, newEntityResource, userResource, userShape } from './common.ts';
import { requestTags, tagsField, tagsParam } from './tag-members.ts';

export const CreateUser: ActionSpec = {
  service: 'iam',
  params: { UserName: required(rules.userName), Path: rules.path, Tags: tagsParam },
  resource: newEntityResource(userArn, 'UserName'),
  mutates: true,
  handler: ({ params, store }) => {
    const user = store.users.create({ userName: params.required('UserName'), path: params.optional('Path') });
    store.tags.add('user', user.userName, requestTags(params));
    return { User: { ...userShape(user), Tags: tagsField(store.tags.list('user', user.userName)) } };
  },
};

export const GetUser: ActionSpec = {
  service: 'iam',
  params: { UserName: rules.userName },
  resource: userResource,
  mutates: false,
  handler: ({ params, caller, store }) => {
    const name = params.optional('UserName') ?? caller.userName;
    // The root user, asking about itself, is described by its account id and root ARN.
    if (name === undefined) return { User: { UserId: caller.accountId, Arn: caller.arn, CreateDate: store.accountCreateDate } };
    const user = store.users.get(name);
    return { User: { ...userShape(user), Tags: tagsField(store.tags.list('user', user.userName)) } };
  },
};

export const ListUsers: ActionSpec = {
  service: 'iam',
  params: { PathPrefix: rules.pathPrefix, Marker: rules.marker, MaxItems: rules.maxItems },
  resource: ({ params, store }) => userArn(store.accountId, params.optional('PathPrefix') ?? '/', ''),
  mutates: false,
  handler: (ctx) => listResult('Users', ctx.store.users.list(ctx.params.optional('PathPrefix')), ctx, userShape),
};

export const DeleteUser: ActionSpec = {
  service: 'iam',
  params: { UserName: required(rules.userName) },
  resource: userResource,
  mutates: true,
  handler: ({ params, store }) => {
    const { userName } = store.users.get(params.required('UserName'));
    // AWS refuses while anything still hangs off the user, naming the first thing to remove.
    if (store.loginProfiles.find(userName)) throw deleteConflict('Cannot delete entity, must delete login profile first.');
    if (store.accessKeys.list(userName).length > 0) throw deleteConflict('Cannot delete entity, must delete access keys first.');
    if (store.mfa.listForUser(userName).length > 0) throw deleteConflict('Cannot delete entity, must delete MFA device first.');
    if (store.inlinePolicies.list('user', userName).length > 0) throw deleteConflict('Cannot delete entity, must delete policies first.');
    if (store.policies.attached('user', userName).length > 0) throw deleteConflict('Cannot delete entity, must detach all policies first.');
    if (store.groups.groupsForUser(userName).length > 0) throw deleteConflict('Cannot delete entity, must remove users from group first.');
    store.users.delete(userName);
    return undefined;
  },
};

export const ChangePassword: ActionSpec = {
  service: 'iam',
  params: { OldPassword: required(rules.password), NewPassword: required(rules.password) },
  resource: ({ caller }) => caller.arn,
  mutates: true,
  handler: ({ params, caller, store }) => {
    if (caller.userName === undefined) throw new IamError('InvalidUserType', 'ChangePassword changes an IAM user\'s password; the root user has none here.');
    if (!store.loginProfiles.find(caller.userName)) throw new IamError('NoSuchEntity', `Login Profile for User ${caller.userName} cannot be found.`);
    // AWS documents no separate code for a wrong current password; InvalidUserType is what it
    // lists for ChangePassword's rejected callers.
    if (!store.loginProfiles.verifyPassword(caller.userName, params.required('OldPassword'))) {
      throw new IamError('InvalidUserType', 'The old password is incorrect.');
    }
    const password = params.required('NewPassword');
    checkPasswordPolicy(password);
    store.loginProfiles.update(caller.userName, { password, passwordResetRequired: false });
    return undefined;
  },
};
