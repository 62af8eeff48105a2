// The U2F workshop's set-up, done with the AWS SDK for JavaScript v3 (a client we did not write),
// then checked with the workshop user's own keys against what AWS decides for that policy: its
// Deny is scoped to the user's own ARN, so without MFA the user may GetUser and ListMFADevices on
// themselves, is explicitly denied everything else on their own user, keeps what other policies
// allow elsewhere, and is implicitly denied what nothing allows; an MFA session lifts the denies.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  AttachUserPolicyCommand,
  ChangePasswordCommand,
  CreateAccessKeyCommand,
  CreateLoginProfileCommand,
  CreatePolicyCommand,
  CreateUserCommand,
  CreateVirtualMFADeviceCommand,
  DeactivateMFADeviceCommand,
  EnableMFADeviceCommand,
  GetLoginProfileCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetUserCommand,
  ListAccessKeysCommand,
  ListAttachedUserPoliciesCommand,
  ListMFADevicesCommand,
  ListPoliciesCommand,
  ListUsersCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, GetSessionTokenCommand } from '@aws-sdk/client-sts';
import { totpCode, totpStep, type IamServer } from '../../emulator/iam/index.ts';
import { errorOf, fixture, iamClient, startTestServer, stsClient, testClock, type TestClock } from './support.ts';

const ACCOUNT = '123456789012';
const ALICE_ARN = `arn:aws:iam::${ACCOUNT}:user/alice`;
const WORKSHOP_POLICY = fixture('workshop-mfa.json');

let server: IamServer;
let clock: TestClock;
let root: IAMClient;
let alice: IAMClient;
let aliceKeys: { accessKeyId: string; secretAccessKey: string };
let serial: string;
let seed: string;

const explicitDeny = (action: string, resource = ALICE_ARN): string =>
  `User: ${ALICE_ARN} is not authorized to perform: ${action} on resource: ${resource} with an explicit deny in an identity-based policy`;
const implicitDeny = (action: string, resource: string): string =>
  `User: ${ALICE_ARN} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`;

test.before(async () => {
  clock = testClock();
  server = await startTestServer({ clock: clock.now });
  root = iamClient(server);
});

test.after(async () => {
  await server.close();
});

test('the workshop set-up: user with a password, the workshop policy exactly as shown, AWS managed policies beside it', async () => {
  await root.send(new CreateUserCommand({ UserName: 'alice' }));
  await root.send(new CreateLoginProfileCommand({ UserName: 'alice', Password: 'Workshop-Passw0rd!', PasswordResetRequired: false }));
  await root.send(new CreateUserCommand({ UserName: 'bob' }));
  await root.send(new CreateLoginProfileCommand({ UserName: 'bob', Password: 'Bobs-Passw0rd!' }));
  const created = await root.send(new CreatePolicyCommand({ PolicyName: 'MFAHardDevice', PolicyDocument: WORKSHOP_POLICY }));
  const policyArn = created.Policy!.Arn!;
  assert.is(policyArn, `arn:aws:iam::${ACCOUNT}:policy/MFAHardDevice`);
  for (const arn of [policyArn, 'arn:aws:iam::aws:policy/IAMReadOnlyAccess', 'arn:aws:iam::aws:policy/IAMUserChangePassword']) {
    await root.send(new AttachUserPolicyCommand({ UserName: 'alice', PolicyArn: arn }));
  }
  const attached = await root.send(new ListAttachedUserPoliciesCommand({ UserName: 'alice' }));
  assert.equal(attached.AttachedPolicies!.map((p) => p.PolicyName).sort(), ['IAMReadOnlyAccess', 'IAMUserChangePassword', 'MFAHardDevice']);
  const policy = await root.send(new GetPolicyCommand({ PolicyArn: policyArn }));
  assert.is(policy.Policy!.DefaultVersionId, 'v1');
  assert.is(policy.Policy!.AttachmentCount, 1);
  const version = await root.send(new GetPolicyVersionCommand({ PolicyArn: policyArn, VersionId: 'v1' }));
  assert.is(decodeURIComponent(version.PolicyVersion!.Document!), WORKSHOP_POLICY);
  const local = await root.send(new ListPoliciesCommand({ Scope: 'Local' }));
  assert.equal(local.Policies!.map((p) => p.Arn), [policyArn]);
  const key = await root.send(new CreateAccessKeyCommand({ UserName: 'alice' }));
  aliceKeys = { accessKeyId: key.AccessKey!.AccessKeyId!, secretAccessKey: key.AccessKey!.SecretAccessKey! };
  alice = iamClient(server, aliceKeys);
});

test('without MFA, alice may GetUser and ListMFADevices on herself', async () => {
  assert.is((await alice.send(new GetUserCommand({}))).User!.Arn, ALICE_ARN);
  assert.is((await alice.send(new GetUserCommand({ UserName: 'alice' }))).User!.UserName, 'alice');
  assert.equal((await alice.send(new ListMFADevicesCommand({}))).MFADevices, []);
  const identity = await stsClient(server, aliceKeys).send(new GetCallerIdentityCommand({}));
  assert.is(identity.Arn, ALICE_ARN);
});

test('without MFA, every other action on her own user is explicitly denied', async () => {
  const calls: Array<[string, Promise<unknown>]> = [
    ['iam:ChangePassword', alice.send(new ChangePasswordCommand({ OldPassword: 'Workshop-Passw0rd!', NewPassword: 'New-Passw0rd!' }))],
    ['iam:GetLoginProfile', alice.send(new GetLoginProfileCommand({ UserName: 'alice' }))],
    ['iam:ListAccessKeys', alice.send(new ListAccessKeysCommand({}))],
    ['iam:DeactivateMFADevice', alice.send(new DeactivateMFADeviceCommand({ UserName: 'alice', SerialNumber: `arn:aws:iam::${ACCOUNT}:mfa/alice` }))],
  ];
  for (const [action, call] of calls) {
    const error = await errorOf(call);
    assert.is(error.code, 'AccessDenied', action);
    assert.is(error.status, 403);
    assert.is(error.message, explicitDeny(action));
  }
});

test('without MFA, what other policies allow elsewhere stays allowed', async () => {
  const users = await alice.send(new ListUsersCommand({}));
  assert.equal(users.Users!.map((u) => u.UserName), ['alice', 'bob']);
  assert.is((await alice.send(new GetUserCommand({ UserName: 'bob' }))).User!.UserName, 'bob');
  assert.is((await alice.send(new GetLoginProfileCommand({ UserName: 'bob' }))).LoginProfile!.UserName, 'bob');
});

test('without MFA, what nothing allows is implicitly denied', async () => {
  const create = await errorOf(alice.send(new CreateUserCommand({ UserName: 'mallory' })));
  assert.is(create.code, 'AccessDenied');
  assert.is(create.message, implicitDeny('iam:CreateUser', `arn:aws:iam::${ACCOUNT}:user/mallory`));
  const device = await errorOf(alice.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'alice' })));
  assert.is(device.message, implicitDeny('iam:CreateVirtualMFADevice', `arn:aws:iam::${ACCOUNT}:mfa/alice`));
});

test('alice enables a virtual MFA device with two consecutive codes (allowed without MFA)', async () => {
  const device = await root.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'alice' }));
  serial = device.VirtualMFADevice!.SerialNumber!;
  seed = Buffer.from(device.VirtualMFADevice!.Base32StringSeed!).toString('ascii');
  assert.match(seed, /^[A-Z2-7]{64}$/);
  const step = totpStep(clock.now());
  const wrong = await errorOf(alice.send(new EnableMFADeviceCommand({ UserName: 'alice', SerialNumber: serial, AuthenticationCode1: '000000', AuthenticationCode2: '000000' })));
  assert.is(wrong.code, 'InvalidAuthenticationCode');
  await alice.send(
    new EnableMFADeviceCommand({ UserName: 'alice', SerialNumber: serial, AuthenticationCode1: totpCode(seed, step - 1), AuthenticationCode2: totpCode(seed, step) }),
  );
  const devices = await alice.send(new ListMFADevicesCommand({}));
  assert.equal(devices.MFADevices!.map((d) => d.SerialNumber), [serial]);
});

test('a session without MFA cannot call IAM at all', async () => {
  const session = await stsClient(server, aliceKeys).send(new GetSessionTokenCommand({ DurationSeconds: 900 }));
  const creds = session.Credentials!;
  const client = iamClient(server, { accessKeyId: creds.AccessKeyId!, secretAccessKey: creds.SecretAccessKey!, sessionToken: creds.SessionToken! });
  assert.is((await errorOf(client.send(new GetUserCommand({})))).code, 'InvalidClientTokenId');
});

test('after GetSessionToken with a TOTP code, the explicit denies are gone', async () => {
  clock.advance(30_000); // the codes of the enable step are spent
  const sts = stsClient(server, aliceKeys);
  const replay = await errorOf(sts.send(new GetSessionTokenCommand({ SerialNumber: serial, TokenCode: totpCode(seed, totpStep(clock.now()) - 1) })));
  assert.is(replay.code, 'AccessDenied');
  const session = await sts.send(new GetSessionTokenCommand({ SerialNumber: serial, TokenCode: totpCode(seed, totpStep(clock.now())) }));
  const creds = session.Credentials!;
  assert.match(creds.AccessKeyId!, /^ASIA/);
  const mfa = iamClient(server, { accessKeyId: creds.AccessKeyId!, secretAccessKey: creds.SecretAccessKey!, sessionToken: creds.SessionToken! });

  await mfa.send(new ChangePasswordCommand({ OldPassword: 'Workshop-Passw0rd!', NewPassword: 'New-Passw0rd!' }));
  assert.ok(server.store.loginProfiles.verifyPassword('alice', 'New-Passw0rd!'));
  assert.is((await mfa.send(new GetLoginProfileCommand({ UserName: 'alice' }))).LoginProfile!.UserName, 'alice');
  assert.is((await mfa.send(new ListAccessKeysCommand({}))).AccessKeyMetadata!.length, 1);
  // Still nothing allows CreateUser.
  const create = await errorOf(mfa.send(new CreateUserCommand({ UserName: 'mallory' })));
  assert.is(create.message, implicitDeny('iam:CreateUser', `arn:aws:iam::${ACCOUNT}:user/mallory`));
  // The workshop policy lets her manage her own MFA device.
  await mfa.send(new DeactivateMFADeviceCommand({ UserName: 'alice', SerialNumber: serial }));
  assert.equal((await mfa.send(new ListMFADevicesCommand({}))).MFADevices, []);
});

test.run();
