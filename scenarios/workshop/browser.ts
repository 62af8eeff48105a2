// The workshop's console steps in a real browser: Debian's Chromium walks the mock console's pages
// by their labels, with the run's token behind the page's navigator.credentials (the WebAuthn
// bridge), and keeps a screenshot of each step in the scenario's artifacts. The same steps as
// workshop.console: the admin creates MFAHardDevice on the JSON tab and attaches it with
// IAMUserChangePassword; the user is denied the password change, assigns the key, signs in
// again with it, and may then change the password.
import { readFile } from 'node:fs/promises';
import { ListMFADevicesCommand } from '@aws-sdk/client-iam';
import type { Page } from 'playwright-core';
import { defineScenario } from '../../harness/runner/index.ts';
import { CHANGE_PASSWORD_POLICY, WORKSHOP_POLICY_PATH } from './support.ts';

const ADMINISTRATOR_ACCESS = 'arn:aws:iam::aws:policy/AdministratorAccess';
const EXPLICIT_DENY = /with an explicit deny in an identity-based policy/;

/** The sign-in form, filled as a person does. */
async function signIn(page: Page, { account, userName, password }: { account: string; userName: string; password: string }): Promise<void> {
  await page.goto('signin');
  await page.getByLabel('Account ID (12 digits) or account alias').fill(account);
  await page.getByLabel('IAM user name').fill(userName);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

async function signOut(page: Page): Promise<void> {
  await page.locator('details.account-menu > summary').click();
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await page.waitForURL(/\/console\/signin$/);
}

async function changePassword(page: Page, oldPassword: string, newPassword: string): Promise<void> {
  await page.getByLabel('Current password').fill(oldPassword);
  await page.getByLabel('New password', { exact: true }).fill(newPassword);
  await page.getByLabel('Confirm new password').fill(newPassword);
  await page.getByRole('button', { name: 'Change password', exact: true }).click();
}

export const browserWorkshop = defineScenario({
  id: 'workshop.browser',
  title: 'The workshop in Chromium: the console pages by their labels, the run\'s key behind navigator.credentials, a screenshot per step',
  tags: ['workshop', 'console', 'webauthn', 'browser'],
  requires: ['iam', 'console-automation', 'browser'],
  timeoutMs: 40_000,
  async run({ token, expect, step, observe, artifactsDir, ...context }) {
    const iam = context.iam!;
    const { resources, description, consoleUrl } = iam.target;
    const account = description.accountId;
    const admin = await step('an administrator with a console password', async () => {
      const user = await resources.createUser('browser-admin', { password: true });
      await resources.attachUserPolicy(user.userName, ADMINISTRATOR_ACCESS);
      return { ...user, password: user.password! };
    });
    const created = await step('the workshop user with a console password', () => resources.createUser('browser-user', { password: true }));
    const user = { ...created, password: created.password! };
    const policyName = resources.name('browser-MFAHardDevice');
    const document = await readFile(WORKSHOP_POLICY_PATH, 'utf8');

    // The page's origin is the console's, so the bridge's clientDataJSON matches the RP's.
    const chrome = await step('open Chromium on the console', async () => {
      // playwright loads only when a browser scenario runs, not with every keyloop command.
      const { openConsoleBrowser } = await import('../../harness/browser/open-console-browser.ts');
      return openConsoleBrowser({ baseUrl: `${consoleUrl!.replace(/\/$/, '')}/`, u2f: token.u2f, screenshotsDir: artifactsDir, actionTimeoutMs: 10_000 });
    });
    const { page } = chrome;
    const link = (name: string) => page.getByRole('link', { name, exact: true });
    const button = (name: string) => page.getByRole('button', { name, exact: true });
    const shot = async (name: string) => {
      if (artifactsDir === undefined) return;
      observe(`screenshot ${await chrome.screenshot(name)}`);
    };
    if (artifactsDir === undefined) observe('the run keeps no artifacts: no screenshots');

    try {
      await step('admin signs in', async () => {
        await signIn(page, { account, ...admin });
        await page.waitForURL(/\/console\/home$/);
        await shot('admin-console-home');
      });
      await step('Policies, Create policy, JSON tab, Next: Tags, Next: Review, Create policy', async () => {
        await link('IAM').first().click();
        await link('Policies').click();
        await link('Create policy').click();
        await page.getByRole('navigation', { name: 'Policy editor' }).getByRole('link', { name: 'JSON' }).click();
        await page.getByLabel('Policy editor (JSON)').fill(document);
        await shot('create-policy-json-tab');
        await button('Next: Tags').click();
        await button('Next: Review').click();
        await page.getByLabel('Name', { exact: true }).fill(policyName);
        await shot('create-policy-review');
        await button('Create policy').click();
        await page.getByText(`The policy ${policyName} has been created.`).waitFor();
        await shot('policy-created');
      });
      await step('Users, Add permissions: MFAHardDevice and IAMUserChangePassword', async () => {
        await link('Users').click();
        await link(user.userName).click();
        await link('Add permissions').click();
        await page.getByLabel(policyName, { exact: true }).check();
        await page.getByLabel(CHANGE_PASSWORD_POLICY.split('/').pop()!, { exact: true }).check();
        await shot('add-permissions');
        await button('Add permissions').click();
        await page.getByText('The policies are attached.').waitFor();
        await shot('user-permissions');
        await signOut(page);
      });

      await step('user signs in with the password: the dashboard recommends Enable MFA', async () => {
        await signIn(page, { account, ...user });
        await page.waitForURL(/\/console\/home$/);
        await link('IAM').first().click();
        await page.getByText('Add MFA for yourself').waitFor();
        await shot('dashboard-enable-mfa');
      });
      const newPassword = `${user.password}-2x!`;
      await step('My Security Credentials: no MFA devices, change password is denied', async () => {
        await page.goto('iam/security-credentials?mfa=open');
        await page.getByText('No MFA devices.').waitFor();
        await changePassword(page, user.password, newPassword);
        const denied = page.locator('[role="alert"][data-code="AccessDenied"]');
        const message = String(await denied.locator('.alert-message').textContent());
        expect.true(EXPLICIT_DENY.test(message), 'the page shows the explicit deny', message);
        await denied.scrollIntoViewIfNeeded();
        await shot('change-password-denied');
      });

      const serial = await step('Assign MFA device: Security key, Continue, the key answers', async () => {
        await link('IAM').first().click();
        await link('Enable MFA').click();
        await link('Assign MFA device').click();
        await page.getByLabel('Device name').fill('MyU2FKey');
        await page.getByLabel('Security key').check();
        await shot('assign-mfa-device');
        await button('Continue').click();
        await page.getByText('Security key registered').waitFor();
        await shot('security-key-registered');
        await link('Close').click();
        const serials = await page.locator('tr[data-serial]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-serial') ?? ''));
        await shot('mfa-device-listed');
        return serials;
      });
      expect.equal(serial.length, 1, 'MFA devices after assigning');
      observe(`registered ${serial[0]}`);
      expect.true(String(serial[0]).startsWith(`arn:aws:iam::${account}:u2f/user/${user.userName}/MyU2FKey-`), 'serial is a u2f ARN under the user', String(serial[0]));
      const listed = await step('ListMFADevices through the API', () => iam.client().send(new ListMFADevicesCommand({ UserName: user.userName })));
      expect.equal(listed.MFADevices?.map((device) => device.SerialNumber), serial, 'the API lists the key');
      await step('sign out', () => signOut(page));

      await step('sign in again: the console asks for the key, a touch answers', async () => {
        // An emulator waits for the touch so the page can be seen asking; a physical key prompts a person.
        await token.control?.setPresence({ mode: 'manual' });
        await signIn(page, { account, ...user });
        await page.waitForURL(/\/console\/signin\/mfa$/);
        await page.getByText('Waiting for your security key: touch it now.').waitFor();
        await shot('sign-in-use-security-key');
        await token.control?.touch();
        await page.waitForURL(/\/console\/home$/);
        await token.control?.reset();
      });
      await step('change password with MFA', async () => {
        await page.goto('iam/security-credentials');
        await changePassword(page, user.password, newPassword);
        await page.getByText('Your password has been changed.').waitFor();
        await page.getByText('Your password has been changed.').scrollIntoViewIfNeeded();
        await shot('password-changed');
      });
    } finally {
      await chrome.close();
    }
  },
});
