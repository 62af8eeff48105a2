// The U2F workshop end to end over HTTP, as the console's pages do it: the admin creates the
// workshop policy through Create policy's JSON tab and attaches it with IAMUserChangePassword; the
// user signs in without MFA, may list their MFA devices but is explicitly denied changing their
// password, registers the emulator key, signs out, signs in with the key, and may then change it.
// What the console did is checked with the AWS SDK, a client we did not write.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  GetMFADeviceCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  ListAttachedUserPoliciesCommand,
  ListMFADevicesCommand,
  ListPolicyTagsCommand,
} from '@aws-sdk/client-iam';
import { ACCOUNT, ADMIN, ALICE, createWorkshopUsers, openTestToken, signedInClient, startConsole, WORKSHOP_POLICY, type ConsoleEnv, type TestToken } from './support.ts';

const ALICE_ARN = `arn:aws:iam::${ACCOUNT}:user/alice`;
const POLICY_ARN = `arn:aws:iam::${ACCOUNT}:policy/MFAHardDevice`;
const NEW_PASSWORD = 'Alice-N3w-Passw0rd!';

let env: ConsoleEnv;
let token: TestToken;

test.before(async () => {
  env = await startConsole();
  await createWorkshopUsers(env.root);
  token = await openTestToken();
});

test.after(async () => {
  await token.close();
  await env.close();
});

test('the admin creates MFAHardDevice (JSON tab, a tag) and attaches it with IAMUserChangePassword', async () => {
  const admin = await signedInClient(env, ADMIN);
  const tags = [{ key: 'workshop', value: 'u2f-security-key' }];
  assert.equal(await admin.createPolicy({ name: 'MFAHardDevice', document: WORKSHOP_POLICY, tags }), { ok: true, value: undefined });
  assert.equal(await admin.attachPolicies(ALICE.userName, ['MFAHardDevice', 'IAMUserChangePassword']), { ok: true, value: undefined });
  await admin.signOut();

  const policy = await env.root.send(new GetPolicyCommand({ PolicyArn: POLICY_ARN }));
  const version = await env.root.send(new GetPolicyVersionCommand({ PolicyArn: POLICY_ARN, VersionId: policy.Policy!.DefaultVersionId! }));
  assert.equal(JSON.parse(decodeURIComponent(version.PolicyVersion!.Document!)), JSON.parse(WORKSHOP_POLICY));
  const listedTags = await env.root.send(new ListPolicyTagsCommand({ PolicyArn: POLICY_ARN }));
  assert.equal(listedTags.Tags, [{ Key: 'workshop', Value: 'u2f-security-key' }]);
  const attached = await env.root.send(new ListAttachedUserPoliciesCommand({ UserName: ALICE.userName }));
  assert.equal(attached.AttachedPolicies!.map((p) => p.PolicyName).sort(), ['IAMUserChangePassword', 'MFAHardDevice']);
});

test('without MFA the user may list their MFA devices but is denied changing their password', async () => {
  const alice = await signedInClient(env, ALICE);
  assert.equal(await alice.dashboard(), { ok: true, value: { recommendsEnableMfa: true } });
  assert.equal(await alice.listMfaDevices(), { ok: true, value: [] });
  assert.equal(await alice.changePassword({ oldPassword: ALICE.password, newPassword: NEW_PASSWORD }), {
    ok: false,
    code: 'AccessDenied',
    message: `User: ${ALICE_ARN} is not authorized to perform: iam:ChangePassword on resource: ${ALICE_ARN} with an explicit deny in an identity-based policy`,
  });
});

test('the user registers the key: a fido-u2f credential under a u2f serial, in ListMFADevices and GetMFADevice', async () => {
  const alice = await signedInClient(env, ALICE, token.browser(env.console.origin));
  const registered = await alice.registerSecurityKey('MyU2FKey');
  assert.ok(registered.ok, JSON.stringify(registered));
  const serial = registered.ok ? registered.value.serialNumber : '';
  assert.match(serial, /^arn:aws:iam::123456789012:u2f\/user\/alice\/MyU2FKey-[A-Z2-7]{26}$/);
  assert.equal(await alice.listMfaDevices(), { ok: true, value: [{ serialNumber: serial, kind: 'security-key' }] });
  assert.equal(await alice.dashboard(), { ok: true, value: { recommendsEnableMfa: false } });

  const listed = await env.root.send(new ListMFADevicesCommand({ UserName: ALICE.userName }));
  assert.equal(listed.MFADevices!.map((d) => [d.UserName, d.SerialNumber]), [[ALICE.userName, serial]]);
  const device = await env.root.send(new GetMFADeviceCommand({ UserName: ALICE.userName, SerialNumber: serial }));
  assert.is(device.SerialNumber, serial);
  const stored = env.server.store.mfa.findSecurityKey(serial)!;
  assert.equal([stored.attestationFormat, stored.counter, stored.name], ['fido-u2f', 0, 'MyU2FKey']);
  // A password alone no longer signs the user in, and the old session is not an MFA session.
  await alice.signOut();
});

test('sign-in demands the key; with it the session has MFA and the password change is allowed', async () => {
  const alice = env.client(token.browser(env.console.origin));
  assert.equal(await alice.signIn({ account: ACCOUNT, ...ALICE }), { ok: true, value: { step: 'mfa-required', methods: ['security-key'] } });
  // Until the key answers, nothing past sign-in opens.
  assert.match((await alice.get('iam')).url, /\/console\/signin$/);
  const used = await alice.useSecurityKey();
  assert.equal(used, { ok: true, value: { redirect: '/console/home' } });
  const [key] = env.server.store.mfa.listSecurityKeys(ALICE.userName);
  assert.ok(key.counter > 0, `counter ${key.counter} recorded`);
  assert.equal(await alice.changePassword({ oldPassword: ALICE.password, newPassword: NEW_PASSWORD }), { ok: true, value: undefined });
  await alice.signOut();

  // The new password is the one that works now, and it still leads to the key.
  const again = env.client();
  assert.equal(await again.signIn({ account: ACCOUNT, userName: ALICE.userName, password: NEW_PASSWORD }), { ok: true, value: { step: 'mfa-required', methods: ['security-key'] } });
  const stale = await env.client().signIn({ account: ACCOUNT, ...ALICE });
  assert.equal(stale.ok ? stale.value : stale.code, 'InvalidCredentials');
});

test.run();
