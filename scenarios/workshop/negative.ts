// The console refusing what a phishing page or a cloned key would send, through the mock
// console's own endpoints (W3C WebAuthn Level 2 §7.1 step 9: the origin; §7.2 step 21: the
// signature counter). Each refusal carries the relying party's code, and the user's MFA devices
// stay as they were.
import { ListMFADevicesCommand } from '@aws-sdk/client-iam';
import type { ConsoleClient, ConsoleResult } from '../../harness/browser/index.ts';
import { defineScenario, ExpectationError, type ScenarioContext } from '../../harness/runner/index.ts';
import type { IamAccess } from '../../harness/runner/iam-access.ts';
import { fromBase64url, WebAuthnClient, type AuthenticationResponseJSON, type PublicKeyCredentialRequestOptionsJSON } from '../../harness/webauthn/index.ts';
import { setUpWorkshop, type WorkshopUser } from './support.ts';

/** rpIdHash (32 bytes) and flags (1 byte) come before the counter (WebAuthn §6.1). */
const COUNTER_OFFSET = 33;

function ok<T>(result: ConsoleResult<T>, what: string): T {
  if (!result.ok) throw new ExpectationError(what, 'success', `${result.code}: ${result.message}`);
  return result.value;
}

/** The big-endian signature counter of an assertion's authenticator data. */
function signCountOf(response: AuthenticationResponseJSON): number {
  const data = fromBase64url(response.response.authenticatorData, 'authenticatorData');
  if (data.length < COUNTER_OFFSET + 4) throw new ExpectationError('authenticator data length', `at least ${COUNTER_OFFSET + 4} bytes`, `${data.length} bytes`);
  return new DataView(data.buffer, data.byteOffset + COUNTER_OFFSET, 4).getUint32(0);
}

async function serialsOf(iam: IamAccess, userName: string): Promise<string[]> {
  const listed = await iam.client().send(new ListMFADevicesCommand({ UserName: userName }));
  return (listed.MFADevices ?? []).map((device) => device.SerialNumber!);
}

/** The password step of a sign-in that then needs the key. */
async function passwordStep({ expect }: ScenarioContext, client: ConsoleClient, account: string, user: WorkshopUser): Promise<void> {
  const result = ok(await client.signIn({ account, userName: user.userName, password: user.password }), 'sign-in');
  expect.equal(result, { step: 'mfa-required', methods: ['security-key'] }, 'sign-in asks for the key');
}

export const wrongOrigin = defineScenario({
  id: 'workshop.wrong-origin',
  title: 'A security key registration made for another origin (a phishing page) is refused with wrong-origin; no device is added',
  tags: ['workshop', 'console', 'webauthn', 'negative'],
  requires: ['iam', 'console-automation'],
  timeoutMs: 60_000,
  async run(context) {
    const { token, expect, step, observe } = context;
    const iam = context.iam!;
    const user = await setUpWorkshop({ ...context, iam }, 'wrong-origin');
    const { accountId } = iam.target.description;
    const consoleOrigin = new URL(iam.target.consoleUrl!);
    const elsewhere = `http://evil.localhost:${consoleOrigin.port || '80'}`;
    // A browser would never send another page's origin; the unsafe switch plays the phishing page.
    const phishing = new WebAuthnClient({ u2f: token.u2f, origin: elsewhere, unsafeSkipOriginCheck: true });
    const userConsole = iam.console({ credentials: phishing });
    await step('user signs in with the password', async () =>
      expect.equal(ok(await userConsole.signIn({ account: accountId, userName: user.userName, password: user.password }), 'sign-in'), { step: 'signed-in' }, 'sign-in without MFA'));
    const refused = await step(`Assign MFA device: the key answers for ${elsewhere}`, () => userConsole.registerSecurityKey('PhishedKey'));
    expect.equal(refused.ok ? 'registered' : refused.code, 'wrong-origin', 'registration from another origin');
    if (!refused.ok) observe(`refused: ${refused.message}`);
    expect.equal(ok(await step('My Security Credentials: MFA devices', () => userConsole.listMfaDevices()), 'MFA devices'), [], 'MFA devices on the page');
    expect.equal(await step('ListMFADevices through the API', () => serialsOf(iam, user.userName)), [], 'MFA devices from the API');
  },
});

export const clonedKey = defineScenario({
  id: 'workshop.cloned-key',
  title: 'An assertion whose signature counter did not grow (a cloned key) is refused with counter-not-increased; the sign-in stays unfinished',
  tags: ['workshop', 'console', 'webauthn', 'negative'],
  requires: ['iam', 'console-automation'],
  timeoutMs: 60_000,
  async run(context) {
    const { token, expect, step, observe } = context;
    const iam = context.iam!;
    const user = await setUpWorkshop({ ...context, iam }, 'cloned-key');
    const account = iam.target.description.accountId;
    const webauthn = new WebAuthnClient({ u2f: token.u2f, origin: new URL(iam.target.consoleUrl!).origin });

    const owner = iam.console({ credentials: webauthn });
    await step('user signs in with the password', async () =>
      expect.equal(ok(await owner.signIn({ account, userName: user.userName, password: user.password }), 'sign-in'), { step: 'signed-in' }, 'sign-in without MFA'));
    const { serialNumber } = ok(await step('Assign MFA device: Security key, touch the key', () => owner.registerSecurityKey('MyU2FKey')), 'security key registration');
    observe(`registered ${serialNumber}`);
    await owner.signOut();

    // A clone is the key's secret and counter copied at one moment: whatever it signs carries a
    // counter the key itself has already used up. The key signing a sign-in that is then held
    // back, and answering a later one first, puts exactly that assertion in the clone's hands.
    const cloneSession = iam.console();
    const cloned = await step('a second sign-in: password, and an assertion held back (the clone\'s)', async () => {
      await passwordStep(context, cloneSession, account, user);
      const begin = await cloneSession.postJson('api/signin/options', {});
      if (begin.body.ok !== true) throw new ExpectationError('sign-in options', 'ok', `${begin.body.code}: ${begin.body.message}`);
      return webauthn.get(begin.body.options as unknown as PublicKeyCredentialRequestOptionsJSON);
    });
    await step('the key signs in once', async () => {
      await passwordStep(context, owner, account, user);
      ok(await owner.useSecurityKey(), 'security key sign-in');
    });
    const devices = await serialsOf(iam, user.userName);
    expect.equal(devices, [serialNumber], 'the key is the user\'s one device');

    const refused = await step('the clone\'s assertion: its counter did not increase', () => cloneSession.postJson('api/signin/verify', { credential: cloned }));
    expect.equal([refused.body.ok, refused.body.code], [false, 'counter-not-increased'], 'the cloned assertion');
    observe(`clone's counter ${signCountOf(cloned)}: ${String(refused.body.message)}`);
    const page = await step('the clone\'s session is not signed in', () => cloneSession.get('iam'));
    expect.true(/\/console\/signin(\/mfa)?$/.test(page.url), 'the clone\'s session stays at sign-in', page.url);
    expect.equal(await step('ListMFADevices through the API', () => serialsOf(iam, user.userName)), devices, 'MFA devices after the refusal');
    await step('the key still signs in', async () => {
      const again = iam.console({ credentials: webauthn });
      await passwordStep(context, again, account, user);
      ok(await again.useSecurityKey(), 'security key sign-in after the refusal');
    });
  },
});

export const workshopNegative = [wrongOrigin, clonedKey];
