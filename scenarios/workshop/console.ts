// The workshop's console steps, walked through the mock console's pages over HTTP: the admin
// creates MFAHardDevice on Create policy's JSON tab and attaches it with IAMUserChangePassword;
// the user signs in without MFA, may list MFA devices but not change the password, assigns the
// key (Assign MFA device, Security key, touch), signs out, signs in with the key, and may then
// change the password. Needs a console the harness can drive (the mock); on a real account the
// same key registration is a guided step.
import { readFile } from 'node:fs/promises';
import { ListMFADevicesCommand } from '@aws-sdk/client-iam';
import type { ConsoleResult } from '../../harness/browser/index.ts';
import { defineScenario, ExpectationError } from '../../harness/runner/index.ts';
import { WebAuthnClient } from '../../harness/webauthn/index.ts';
import { CHANGE_PASSWORD_POLICY, WORKSHOP_POLICY_PATH } from './support.ts';

const ADMINISTRATOR_ACCESS = 'arn:aws:iam::aws:policy/AdministratorAccess';

/** The value of a console step that must succeed; its AWS code and message otherwise. */
function ok<T>(result: ConsoleResult<T>, what: string): T {
  if (!result.ok) throw new ExpectationError(what, 'success', `${result.code}: ${result.message}`);
  return result.value;
}

export const consoleWorkshop = defineScenario({
  id: 'workshop.console',
  title: 'The workshop in the console: policy on the JSON tab, denied before MFA, key assigned, sign-in asks for the key, allowed after',
  tags: ['workshop', 'console', 'webauthn'],
  requires: ['iam', 'console-automation'],
  timeoutMs: 120_000,
  async run({ token, expect, step, observe, ...context }) {
    const iam = context.iam!;
    const { resources, description, consoleUrl } = iam.target;
    const account = description.accountId;
    const admin = await step('an administrator with a console password', async () => {
      const user = await resources.createUser('console-admin', { password: true });
      await resources.attachUserPolicy(user.userName, ADMINISTRATOR_ACCESS);
      return user;
    });
    const user = await step('the workshop user with a console password', () => resources.createUser('console-user', { password: true }));
    const policyName = resources.name('console-MFAHardDevice');

    const adminConsole = iam.console();
    await step('admin signs in', async () => expect.equal(ok(await adminConsole.signIn({ account, userName: admin.userName, password: admin.password! }), 'admin sign-in'), { step: 'signed-in' }, 'admin sign-in'));
    await step('Policies, Create policy, JSON tab, Next: Tags, Next: Review, Create policy', async () =>
      ok(await adminConsole.createPolicy({ name: policyName, document: await readFile(WORKSHOP_POLICY_PATH, 'utf8') }), 'Create policy'));
    await step('Users, Add permissions: MFAHardDevice and IAMUserChangePassword', async () =>
      ok(await adminConsole.attachPolicies(user.userName, [policyName, CHANGE_PASSWORD_POLICY.split('/').pop()!]), 'attach policies'));
    await adminConsole.signOut();

    const webauthn = new WebAuthnClient({ u2f: token.u2f, origin: new URL(consoleUrl!).origin });
    const userConsole = iam.console({ credentials: webauthn });
    await step('user signs in with the password', async () => expect.equal(ok(await userConsole.signIn({ account, userName: user.userName, password: user.password! }), 'sign-in'), { step: 'signed-in' }, 'sign-in without MFA'));
    expect.equal(ok(await userConsole.dashboard(), 'dashboard'), { recommendsEnableMfa: true }, 'the dashboard recommends Enable MFA');
    expect.equal(ok(await step('My Security Credentials: MFA devices', () => userConsole.listMfaDevices()), 'MFA devices'), [], 'MFA devices before assigning');
    const newPassword = `${user.password}-2x!`;
    const denied = await step('change password without MFA', () => userConsole.changePassword({ oldPassword: user.password!, newPassword }));
    expect.equal(denied.ok ? 'allowed' : denied.code, 'AccessDenied', 'change password without MFA');
    expect.true(!denied.ok && /explicit deny/.test(denied.message), 'the page shows the explicit deny', denied.ok ? 'allowed' : denied.message);

    const { serialNumber } = ok(await step('Assign MFA device: Security key, touch the key', () => userConsole.registerSecurityKey('MyU2FKey')), 'security key registration');
    observe(`registered ${serialNumber}`);
    expect.true(serialNumber.startsWith(`arn:aws:iam::${account}:u2f/user/${user.userName}/MyU2FKey-`), 'serial is a u2f ARN under the user', serialNumber);
    const listed = await step('ListMFADevices through the API', () => iam.client().send(new ListMFADevicesCommand({ UserName: user.userName })));
    expect.equal(listed.MFADevices?.map((device) => device.SerialNumber), [serialNumber], 'the API lists the key');
    await userConsole.signOut();

    const again = await step('sign in again: the console asks for the key', async () => ok(await userConsole.signIn({ account, userName: user.userName, password: user.password! }), 'sign-in'));
    expect.equal(again, { step: 'mfa-required', methods: ['security-key'] }, 'second sign-in');
    ok(await step('Use your security key', () => userConsole.useSecurityKey()), 'security key sign-in');
    ok(await step('change password with MFA', () => userConsole.changePassword({ oldPassword: user.password!, newPassword })), 'change password after MFA sign-in');
  },
});
