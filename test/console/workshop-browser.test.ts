// The U2F workshop in a real browser: Debian's Chromium (playwright-core) walks the console's pages
// with the workshop's labels, and the emulator key answers the page's navigator.credentials calls
// through the harness's bridge. The key waits for a touch (manual presence) so the screenshots show
// each step as a person sees it; they are saved under reports/screenshots/console-workshop/.
// Last, the same pages without the bridge: Chromium's own WebAuthn with its CDP virtual U2F
// authenticator, which shows the page code is plain WebAuthn. Skipped where /usr/bin/chromium is
// missing (CI installs it).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { AttachUserPolicyCommand, ListMFADevicesCommand } from '@aws-sdk/client-iam';
import type { Page } from 'playwright-core';
import { DEFAULT_CHROMIUM, openConsoleBrowser, type ConsoleBrowser } from '../../harness/browser/index.ts';
import {
  ACCOUNT,
  ADMIN,
  ALICE,
  createConsoleUser,
  createWorkshopUsers,
  openTestToken,
  startConsole,
  WORKSHOP_POLICY,
  type ConsoleEnv,
  type TestToken,
} from './support.ts';

const SCREENSHOTS = fileURLToPath(new URL('../../reports/screenshots/console-workshop/', import.meta.url));
const ALICE_ARN = `arn:aws:iam::${ACCOUNT}:user/alice`;
const NEW_PASSWORD = 'Alice-N3w-Passw0rd!';
const PRESENCE_TIMEOUT_MS = 5000;

const hasChromium = existsSync(DEFAULT_CHROMIUM);
const withChromium = hasChromium ? test : test.skip;

let env: ConsoleEnv;
let token: TestToken;
let chrome: ConsoleBrowser;
let page: Page;

const url = (path: string): string => `${env.console.url}/${path}`;
const shot = (name: string) => chrome.screenshot(name);
const button = (name: string) => page.getByRole('button', { name, exact: true });
const link = (name: string) => page.getByRole('link', { name, exact: true });

async function signIn(who: { userName: string; password: string }, on: Page = page): Promise<void> {
  await on.goto(url('signin'));
  await on.getByLabel('Account ID (12 digits) or account alias').fill(ACCOUNT);
  await on.getByLabel('IAM user name').fill(who.userName);
  await on.getByLabel('Password').fill(who.password);
  await on.getByRole('button', { name: 'Sign in', exact: true }).click();
}

async function openAccountMenu(): Promise<void> {
  await page.locator('details.account-menu > summary').click();
}

async function signOut(): Promise<void> {
  await openAccountMenu();
  await button('Sign out').click();
  await page.waitForURL(/\/console\/signin$/);
}

test.before(async () => {
  if (!hasChromium) return;
  await rm(SCREENSHOTS, { recursive: true, force: true });
  env = await startConsole();
  await createWorkshopUsers(env.root);
  token = await openTestToken();
  // A short wait for touches keeps the untouched-key case quick; the touches below come at once.
  chrome = await openConsoleBrowser({ baseUrl: env.console.url, u2f: token.u2f, presenceTimeoutMs: PRESENCE_TIMEOUT_MS, screenshotsDir: SCREENSHOTS });
  page = chrome.page;
});

test.after(async () => {
  await chrome?.close();
  await token?.close();
  await env?.close();
});

withChromium('admin: Policies, Create policy, JSON tab, Next: Tags, Next: Review, Name, Create policy', async () => {
  // Keyboard only, as the sign-in form must allow.
  await page.goto(url('signin'));
  await page.getByLabel('Account ID (12 digits) or account alias').focus();
  await page.keyboard.type(ACCOUNT);
  await page.keyboard.press('Tab');
  await page.keyboard.type(ADMIN.userName);
  await page.keyboard.press('Tab');
  await page.keyboard.type(ADMIN.password);
  await shot('admin-sign-in');
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/console\/home$/);
  await shot('console-home');

  await link('IAM').first().click();
  await link('Policies').click();
  await link('Create policy').click();
  await page.getByRole('navigation', { name: 'Policy editor' }).getByRole('link', { name: 'JSON' }).click();
  await page.getByLabel('Policy editor (JSON)').fill(WORKSHOP_POLICY);
  await shot('create-policy-json-tab');
  await button('Next: Tags').click();
  await shot('create-policy-tags');
  await button('Next: Review').click();
  await page.getByLabel('Name', { exact: true }).fill('MFAHardDevice');
  await shot('create-policy-review');
  // Enter in the Name field is Create policy, not the Previous button before it.
  await page.getByLabel('Name', { exact: true }).press('Enter');
  await page.getByText('The policy MFAHardDevice has been created.').waitFor();
  await shot('policy-created');
});

withChromium('admin: Users, alice, Add permissions: MFAHardDevice and IAMUserChangePassword', async () => {
  await link('Users').click();
  await link(ALICE.userName).click();
  await link('Add permissions').click();
  await page.getByLabel('MFAHardDevice').check();
  await page.getByLabel('IAMUserChangePassword').check();
  await shot('add-permissions');
  await button('Add permissions').click();
  await page.getByText('The policies are attached.').waitFor();
  assert.equal(await page.locator('tr[data-policy-arn] td:first-child').allTextContents(), ['IAMUserChangePassword', 'MFAHardDevice']);
  await shot('user-permissions');
  await signOut();
});

withChromium('alice without MFA: the dashboard recommends Enable MFA, the password change is denied', async () => {
  await signIn(ALICE);
  await page.waitForURL(/\/console\/home$/);
  await link('IAM').first().click();
  await page.getByText('Add MFA for yourself').waitFor();
  await shot('dashboard-enable-mfa');

  // The account menu from the keyboard: Enter opens it, Tab reaches My Security Credentials.
  await page.locator('details.account-menu > summary').focus();
  await page.keyboard.press('Enter');
  await shot('account-menu');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/console\/iam\/security-credentials$/);
  await page.getByText('Multi-factor authentication (MFA)').click();
  await page.getByText('No MFA devices.').waitFor();
  await page.getByLabel('Current password').fill(ALICE.password);
  await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
  await page.getByLabel('Confirm new password').fill(NEW_PASSWORD);
  await button('Change password').click();
  const denied = page.locator('[role="alert"][data-code="AccessDenied"]');
  assert.is(
    (await denied.locator('.alert-message').textContent())?.trim(),
    `User: ${ALICE_ARN} is not authorized to perform: iam:ChangePassword on resource: ${ALICE_ARN} with an explicit deny in an identity-based policy`,
  );
  await denied.scrollIntoViewIfNeeded();
  await shot('change-password-denied');
});

withChromium('alice: Enable MFA, Assign MFA device, Security key, Continue, touch the key, Close', async () => {
  await link('IAM').first().click();
  await link('Enable MFA').click();
  await shot('security-credentials-mfa');
  await link('Assign MFA device').click();
  await page.getByLabel('Device name').fill('MyU2FKey');
  await page.getByLabel('Security key').check();
  await shot('assign-mfa-device');
  // Nobody touches the key: the page says so and offers to try again.
  await token.target.control!.setPresence({ mode: 'deny' });
  await button('Continue').click();
  const failed = page.locator('.ceremony-error[data-code="NotAllowedError"]');
  await failed.waitFor({ timeout: PRESENCE_TIMEOUT_MS + 5000 });
  assert.match(String(await failed.textContent()), 'The security key did not answer in time');
  await shot('security-key-not-touched');
  assert.is(await env.server.store.mfa.listForUser(ALICE.userName).length, 0);
  // Now the key waits for a touch, as a real one does.
  await token.target.control!.setPresence({ mode: 'manual' });
  await button('Try again').click();
  await page.getByText('Waiting for your security key: plug it in and touch it.').waitFor();
  await shot('touch-security-key');
  await token.target.control!.touch();
  await page.getByText('Security key registered').waitFor();
  await shot('security-key-registered');
  await link('Close').click();
  const serials = await page.locator('tr[data-serial]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-serial')));
  assert.is(serials.length, 1);
  assert.match(String(serials[0]), /^arn:aws:iam::123456789012:u2f\/user\/alice\/MyU2FKey-[A-Z2-7]{26}$/);
  await shot('mfa-device-listed');
  const listed = await env.root.send(new ListMFADevicesCommand({ UserName: ALICE.userName }));
  assert.equal(listed.MFADevices!.map((device) => device.SerialNumber), serials);
  await signOut();
});

withChromium('alice signs in with the security key, then may change the password', async () => {
  await signIn(ALICE);
  await page.waitForURL(/\/console\/signin\/mfa$/);
  await page.getByText('Waiting for your security key: touch it now.').waitFor();
  await shot('sign-in-use-security-key');
  await token.target.control!.touch();
  await page.waitForURL(/\/console\/home$/);
  await token.target.control!.setPresence({ mode: 'auto' });

  await openAccountMenu();
  await page.locator('details.account-menu').getByRole('link', { name: 'My Security Credentials' }).click();
  await page.getByLabel('Current password').fill(ALICE.password);
  await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
  await page.getByLabel('Confirm new password').fill(NEW_PASSWORD);
  await button('Change password').click();
  await page.getByText('Your password has been changed.').waitFor();
  await page.getByText('Your password has been changed.').scrollIntoViewIfNeeded();
  await shot('password-changed');
  await signOut();
});

withChromium('without the bridge, Chromium\'s own WebAuthn (a CDP virtual U2F authenticator) registers and signs in on the same pages', async () => {
  const grace = { userName: 'grace', password: 'Grace-Passw0rd!' };
  await createConsoleUser(env.root, grace);
  // The admin made MFAHardDevice through the console above.
  await env.root.send(new AttachUserPolicyCommand({ UserName: grace.userName, PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/MFAHardDevice` }));
  const context = await chrome.browser.newContext();
  try {
    const own = await context.newPage();
    const cdp = await context.newCDPSession(own);
    await cdp.send('WebAuthn.enable', { enableUI: false });
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { protocol: 'u2f', transport: 'usb', hasResidentKey: false, hasUserVerification: false, automaticPresenceSimulation: true },
    });
    await signIn(grace, own);
    await own.goto(url('iam/security-credentials/mfa/assign'));
    await own.getByLabel('Device name').fill('ChromiumKey');
    await own.getByRole('button', { name: 'Continue', exact: true }).click();
    await own.getByText('Security key registered').waitFor();
    const [key] = env.server.store.mfa.listSecurityKeys(grace.userName);
    assert.equal([key.name, key.attestationFormat], ['ChromiumKey', 'fido-u2f']);
    await own.locator('details.account-menu > summary').click();
    await own.getByRole('button', { name: 'Sign out', exact: true }).click();
    await signIn(grace, own);
    await own.waitForURL(/\/console\/home$/);
    assert.ok(env.server.store.mfa.listSecurityKeys(grace.userName)[0].counter > 0);
  } finally {
    await context.close();
  }
});

test.run();
