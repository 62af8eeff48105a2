// IAM API Reference: CreateLoginProfile, GetLoginProfile, UpdateLoginProfile, DeleteLoginProfile,
// CreateAccessKey, ListAccessKeys, UpdateAccessKey, DeleteAccessKey.
import { invalidInput } from '../errors.ts';
import { checkPasswordPolicy } from '../passwords.ts';
import { rules } from '../rules.ts';
import type { AccessKey, AccessKeyStatus, LoginProfile } from '../store/credentials.ts';
import { bool, required } from '../validation.ts';
import type { ActionContext, ActionSpec } from './action.ts';
import { listResult, requireTargetUser, targetUserName, userResource } from './common.ts';

const loginProfileShape = (profile: LoginProfile) => ({
  UserName: profile.userName,
  CreateDate: profile.createDate,
  PasswordResetRequired: profile.passwordResetRequired,
});

export const CreateLoginProfile: ActionSpec = {
  service: 'iam',
  params: { UserName: required(rules.userName), Password: required(rules.password), PasswordResetRequired: bool() },
  resource: userResource,
  mutates: true,
  handler: ({ params, store }) => {
    const user = store.users.get(params.required('UserName'));
    const password = params.required('Password');
    checkPasswordPolicy(password);
    const profile = store.loginProfiles.create({ userName: user.userName, password, passwordResetRequired: params.boolean('PasswordResetRequired') ?? false });
    return { LoginProfile: loginProfileShape(profile) };
  },
};

export const GetLoginProfile: ActionSpec = {
  service: 'iam',
  params: { UserName: rules.userName },
  resource: userResource,
  mutates: false,
  handler: (ctx) => ({ LoginProfile: loginProfileShape(ctx.store.loginProfiles.get(requireTargetUser(ctx).userName)) }),
};

export const UpdateLoginProfile: ActionSpec = {
  service: 'iam',
  params: { UserName: required(rules.userName), Password: rules.password, PasswordResetRequired: bool() },
  resource: userResource,
  mutates: true,
  handler: ({ params, store }) => {
    const user = store.users.get(params.required('UserName'));
    const password = params.optional('Password');
    if (password !== undefined) checkPasswordPolicy(password);
    store.loginProfiles.update(user.userName, { password, passwordResetRequired: params.boolean('PasswordResetRequired') });
    return undefined;
  },
};

export const DeleteLoginProfile: ActionSpec = {
  service: 'iam',
  params: { UserName: required(rules.userName) },
  resource: userResource,
  mutates: true,
  handler: ({ params, store }) => {
    store.loginProfiles.delete(store.users.get(params.required('UserName')).userName);
    return undefined;
  },
};

/** The root user's key pair is set when the mock starts; the API manages users' keys only. */
function keyOwner(ctx: ActionContext): string {
  if (targetUserName(ctx) === undefined) {
    throw invalidInput("The root user's access key is set when the mock starts; give UserName to manage an IAM user's keys.");
  }
  return requireTargetUser(ctx).userName;
}

const keyMetadata = (key: AccessKey) => ({ UserName: key.userName, AccessKeyId: key.accessKeyId, Status: key.status, CreateDate: key.createDate });

export const CreateAccessKey: ActionSpec = {
  service: 'iam',
  params: { UserName: rules.userName },
  resource: userResource,
  mutates: true,
  handler: (ctx) => {
    const key = ctx.store.accessKeys.create(keyOwner(ctx));
    return { AccessKey: { ...keyMetadata(key), SecretAccessKey: key.secretAccessKey } };
  },
};

export const ListAccessKeys: ActionSpec = {
  service: 'iam',
  params: { UserName: rules.userName, Marker: rules.marker, MaxItems: rules.maxItems },
  resource: userResource,
  mutates: false,
  handler: (ctx) => {
    if (targetUserName(ctx) === undefined) {
      const root = { UserName: undefined, AccessKeyId: ctx.caller.accessKeyId, Status: 'Active', CreateDate: ctx.store.accountCreateDate };
      return listResult('AccessKeyMetadata', ctx.caller.session ? [] : [root], ctx, (key) => key);
    }
    return listResult('AccessKeyMetadata', ctx.store.accessKeys.list(requireTargetUser(ctx).userName), ctx, keyMetadata);
  },
};

export const UpdateAccessKey: ActionSpec = {
  service: 'iam',
  params: { UserName: rules.userName, AccessKeyId: required(rules.accessKeyId), Status: required(rules.status) },
  resource: userResource,
  mutates: true,
  handler: (ctx) => {
    ctx.store.accessKeys.setStatus(keyOwner(ctx), ctx.params.required('AccessKeyId'), ctx.params.required('Status') as AccessKeyStatus);
    return undefined;
  },
};

export const DeleteAccessKey: ActionSpec = {
  service: 'iam',
  params: { UserName: rules.userName, AccessKeyId: required(rules.accessKeyId) },
  resource: userResource,
  mutates: true,
  handler: (ctx) => {
    ctx.store.accessKeys.delete(keyOwner(ctx), ctx.params.required('AccessKeyId'));
    return undefined;
  },
};
