// Users, login profiles, access keys, groups and the account alias through the AWS SDK: AWS's
// validation rules, quotas, error codes and pagination.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  AddUserToGroupCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateAccountAliasCommand,
  CreateGroupCommand,
  CreateLoginProfileCommand,
  CreateUserCommand,
  DeleteAccessKeyCommand,
  DeleteAccountAliasCommand,
  DeleteGroupCommand,
  DeleteLoginProfileCommand,
  DeleteUserCommand,
  DeleteUserPolicyCommand,
  DetachUserPolicyCommand,
  GetLoginProfileCommand,
  GetUserCommand,
  ListAccessKeysCommand,
  ListAccountAliasesCommand,
  ListGroupsForUserCommand,
  ListUsersCommand,
  PutUserPolicyCommand,
  RemoveUserFromGroupCommand,
  UpdateAccessKeyCommand,
  UpdateLoginProfileCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import type { IamServer } from '../../emulator/iam/index.ts';
import { errorOf, iamClient, startTestServer } from './support.ts';

let server: IamServer;
let iam: IAMClient;

test.before(async () => {
  server = await startTestServer();
  iam = iamClient(server);
});

test.after(async () => {
  await server.close();
});

test('CreateUser: names are unique without regard to case, and checked against AWS pattern and length', async () => {
  const created = await iam.send(new CreateUserCommand({ UserName: 'erin', Path: '/staff/' }));
  assert.is(created.User!.Arn, 'arn:aws:iam::123456789012:user/staff/erin');
  assert.match(created.User!.UserId!, /^AIDA[A-Z2-7]{17}$/);
  const duplicate = await errorOf(iam.send(new CreateUserCommand({ UserName: 'ERIN' })));
  assert.equal([duplicate.code, duplicate.status], ['EntityAlreadyExists', 409]);
  const badName = await errorOf(iam.send(new CreateUserCommand({ UserName: 'bad name' })));
  assert.equal([badName.code, badName.status], ['ValidationError', 400]);
  assert.is(badName.message, "1 validation error detected: Value 'bad name' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+");
  assert.is((await errorOf(iam.send(new CreateUserCommand({ UserName: 'x'.repeat(65) })))).code, 'ValidationError');
  assert.is((await errorOf(iam.send(new CreateUserCommand({ UserName: 'frank', Path: 'staff' })))).code, 'ValidationError');
  assert.is((await errorOf(iam.send(new GetUserCommand({ UserName: 'nobody' })))).code, 'NoSuchEntity');
});

test('ListUsers: PathPrefix, and MaxItems with Marker', async () => {
  for (const name of ['u1', 'u2', 'u3']) await iam.send(new CreateUserCommand({ UserName: name }));
  const staff = await iam.send(new ListUsersCommand({ PathPrefix: '/staff/' }));
  assert.equal(staff.Users!.map((u) => u.UserName), ['erin']);
  const names: string[] = [];
  let marker: string | undefined;
  let pages = 0;
  do {
    const page = await iam.send(new ListUsersCommand({ MaxItems: 2, Marker: marker }));
    names.push(...page.Users!.map((u) => u.UserName!));
    marker = page.IsTruncated ? page.Marker : undefined;
    pages++;
  } while (marker);
  assert.equal(names, ['erin', 'u1', 'u2', 'u3']);
  assert.is(pages, 2);
  assert.is((await errorOf(iam.send(new ListUsersCommand({ MaxItems: 0 })))).code, 'ValidationError');
  assert.is((await errorOf(iam.send(new ListUsersCommand({ Marker: 'not-a-marker' })))).code, 'InvalidInput');
});

test('login profiles: create, get, update, password policy, delete', async () => {
  const weak = await errorOf(iam.send(new CreateLoginProfileCommand({ UserName: 'u1', Password: 'short' })));
  assert.equal([weak.code, weak.status], ['PasswordPolicyViolation', 400]);
  const created = await iam.send(new CreateLoginProfileCommand({ UserName: 'u1', Password: 'Correct-Horse-1', PasswordResetRequired: true }));
  assert.is(created.LoginProfile!.PasswordResetRequired, true);
  assert.is((await errorOf(iam.send(new CreateLoginProfileCommand({ UserName: 'u1', Password: 'Correct-Horse-1' })))).code, 'EntityAlreadyExists');
  await iam.send(new UpdateLoginProfileCommand({ UserName: 'u1', Password: 'Battery-Staple-2', PasswordResetRequired: false }));
  assert.is((await iam.send(new GetLoginProfileCommand({ UserName: 'u1' }))).LoginProfile!.PasswordResetRequired, false);
  assert.ok(server.store.loginProfiles.verifyPassword('u1', 'Battery-Staple-2'));
  assert.not.ok(server.store.loginProfiles.verifyPassword('u1', 'Correct-Horse-1'));
  await iam.send(new DeleteLoginProfileCommand({ UserName: 'u1' }));
  assert.is((await errorOf(iam.send(new GetLoginProfileCommand({ UserName: 'u1' })))).code, 'NoSuchEntity');
  assert.is((await errorOf(iam.send(new CreateLoginProfileCommand({ UserName: 'ghost', Password: 'Correct-Horse-1' })))).code, 'NoSuchEntity');
});

test('access keys: two per user, status, delete', async () => {
  const first = await iam.send(new CreateAccessKeyCommand({ UserName: 'u2' }));
  assert.match(first.AccessKey!.AccessKeyId!, /^AKIA[A-Z2-7]{16}$/);
  assert.is(first.AccessKey!.SecretAccessKey!.length, 40);
  await iam.send(new CreateAccessKeyCommand({ UserName: 'u2' }));
  const third = await errorOf(iam.send(new CreateAccessKeyCommand({ UserName: 'u2' })));
  assert.equal([third.code, third.status], ['LimitExceeded', 409]);
  const id = first.AccessKey!.AccessKeyId!;
  await iam.send(new UpdateAccessKeyCommand({ UserName: 'u2', AccessKeyId: id, Status: 'Inactive' }));
  const listed = await iam.send(new ListAccessKeysCommand({ UserName: 'u2' }));
  assert.equal(listed.AccessKeyMetadata!.map((k) => [k.AccessKeyId === id, k.Status]).sort(), [[false, 'Active'], [true, 'Inactive']]);
  assert.is((await errorOf(iam.send(new UpdateAccessKeyCommand({ UserName: 'u2', AccessKeyId: id, Status: 'Paused' as 'Active' })))).code, 'ValidationError');
  await iam.send(new DeleteAccessKeyCommand({ UserName: 'u2', AccessKeyId: id }));
  assert.is((await errorOf(iam.send(new DeleteAccessKeyCommand({ UserName: 'u2', AccessKeyId: id })))).code, 'NoSuchEntity');
  const rootKeys = await iam.send(new ListAccessKeysCommand({}));
  assert.equal(rootKeys.AccessKeyMetadata!.map((k) => k.AccessKeyId), [server.rootCredentials.accessKeyId]);
});

test('groups: membership, ListGroupsForUser, DeleteGroup conflicts', async () => {
  const group = await iam.send(new CreateGroupCommand({ GroupName: 'Admins' }));
  assert.match(group.Group!.GroupId!, /^AGPA/);
  assert.is((await errorOf(iam.send(new CreateGroupCommand({ GroupName: 'admins' })))).code, 'EntityAlreadyExists');
  await iam.send(new AddUserToGroupCommand({ GroupName: 'Admins', UserName: 'u3' }));
  await iam.send(new AddUserToGroupCommand({ GroupName: 'Admins', UserName: 'u3' }));
  assert.equal((await iam.send(new ListGroupsForUserCommand({ UserName: 'u3' }))).Groups!.map((g) => g.GroupName), ['Admins']);
  assert.is((await errorOf(iam.send(new AddUserToGroupCommand({ GroupName: 'Nope', UserName: 'u3' })))).code, 'NoSuchEntity');
  const conflict = await errorOf(iam.send(new DeleteGroupCommand({ GroupName: 'Admins' })));
  assert.equal([conflict.code, conflict.status], ['DeleteConflict', 409]);
  await iam.send(new RemoveUserFromGroupCommand({ GroupName: 'Admins', UserName: 'u3' }));
  assert.is((await errorOf(iam.send(new RemoveUserFromGroupCommand({ GroupName: 'Admins', UserName: 'u3' })))).code, 'NoSuchEntity');
  await iam.send(new DeleteGroupCommand({ GroupName: 'Admins' }));
});

test('DeleteUser: DeleteConflict while anything hangs off the user, then gone', async () => {
  await iam.send(new CreateUserCommand({ UserName: 'temp' }));
  await iam.send(new CreateLoginProfileCommand({ UserName: 'temp', Password: 'Correct-Horse-1' }));
  const key = await iam.send(new CreateAccessKeyCommand({ UserName: 'temp' }));
  await iam.send(new PutUserPolicyCommand({ UserName: 'temp', PolicyName: 'inline', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:GetUser', Resource: '*' }] }) }));
  await iam.send(new AttachUserPolicyCommand({ UserName: 'temp', PolicyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' }));
  await iam.send(new CreateGroupCommand({ GroupName: 'Temps' }));
  await iam.send(new AddUserToGroupCommand({ GroupName: 'Temps', UserName: 'temp' }));
  const cleanups: Array<() => Promise<unknown>> = [
    () => iam.send(new DeleteLoginProfileCommand({ UserName: 'temp' })),
    () => iam.send(new DeleteAccessKeyCommand({ UserName: 'temp', AccessKeyId: key.AccessKey!.AccessKeyId! })),
    () => iam.send(new DeleteUserPolicyCommand({ UserName: 'temp', PolicyName: 'inline' })),
    () => iam.send(new DetachUserPolicyCommand({ UserName: 'temp', PolicyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' })),
    () => iam.send(new RemoveUserFromGroupCommand({ GroupName: 'Temps', UserName: 'temp' })),
  ];
  for (const cleanup of cleanups) {
    assert.is((await errorOf(iam.send(new DeleteUserCommand({ UserName: 'temp' })))).code, 'DeleteConflict');
    await cleanup();
  }
  await iam.send(new DeleteUserCommand({ UserName: 'temp' }));
  assert.is((await errorOf(iam.send(new GetUserCommand({ UserName: 'temp' })))).code, 'NoSuchEntity');
});

test('account alias: one per account, AWS pattern', async () => {
  assert.equal((await iam.send(new ListAccountAliasesCommand({}))).AccountAliases, []);
  await iam.send(new CreateAccountAliasCommand({ AccountAlias: 'keyloop-lab' }));
  await iam.send(new CreateAccountAliasCommand({ AccountAlias: 'keyloop-lab-2' }));
  assert.equal((await iam.send(new ListAccountAliasesCommand({}))).AccountAliases, ['keyloop-lab-2']);
  assert.is((await errorOf(iam.send(new CreateAccountAliasCommand({ AccountAlias: 'Bad--Alias' })))).code, 'ValidationError');
  assert.is((await errorOf(iam.send(new DeleteAccountAliasCommand({ AccountAlias: 'keyloop-lab' })))).code, 'NoSuchEntity');
  await iam.send(new DeleteAccountAliasCommand({ AccountAlias: 'keyloop-lab-2' }));
  assert.equal((await iam.send(new ListAccountAliasesCommand({}))).AccountAliases, []);
});

test.run();
