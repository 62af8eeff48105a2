// The other device type of Assign MFA device: an authenticator app (CreateVirtualMFADevice, then
// EnableMFADevice with two consecutive codes), after which sign-in asks for a code, accepts each
// code once, and the session counts as MFA; Remove (DeactivateMFADevice) ends that.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { AttachUserPolicyCommand } from '@aws-sdk/client-iam';
import { totpCode, totpStep } from '../../emulator/iam/index.ts';
import { ACCOUNT, createConsoleUser, signedInClient, startConsole, type ConsoleEnv } from './support.ts';

const FRANK = { userName: 'frank', password: 'Frank-Passw0rd!' };

let env: ConsoleEnv;

test.before(async () => {
  env = await startConsole();
  await createConsoleUser(env.root, FRANK);
  await env.root.send(new AttachUserPolicyCommand({ UserName: FRANK.userName, PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }));
});

test.after(async () => {
  await env.close();
});

/** A 6-digit string that is not the device's code anywhere near now. */
function wrongCode(seedBase32: string): string {
  const near = new Set([-3, -2, -1, 0, 1, 2, 3].map((offset) => totpCode(seedBase32, totpStep(Date.now()) + offset)));
  for (let n = 0; ; n++) {
    const candidate = String(n).padStart(6, '0');
    if (!near.has(candidate)) return candidate;
  }
}

test('authenticator app: assigned with two consecutive codes, then demanded at sign-in, each code once', async () => {
  const frank = await signedInClient(env, FRANK);
  const begun = await frank.beginAuthenticatorApp('Phone');
  assert.ok(begun.ok, JSON.stringify(begun));
  const { serialNumber, seedBase32 } = begun.ok ? begun.value : { serialNumber: '', seedBase32: '' };
  assert.is(serialNumber, `arn:aws:iam::${ACCOUNT}:mfa/Phone`);
  const step = totpStep(Date.now());
  const refused = await frank.finishAuthenticatorApp({ serialNumber, seedBase32, code1: wrongCode(seedBase32), code2: totpCode(seedBase32, step) });
  assert.equal(refused.ok ? 'assigned' : refused.code, 'InvalidAuthenticationCode');
  assert.equal(await frank.finishAuthenticatorApp({ serialNumber, seedBase32, code1: totpCode(seedBase32, step - 1), code2: totpCode(seedBase32, step) }), { ok: true, value: undefined });
  assert.equal(await frank.listMfaDevices(), { ok: true, value: [{ serialNumber, kind: 'authenticator-app' }] });
  await frank.signOut();

  const again = env.client();
  assert.equal(await again.signIn({ account: ACCOUNT, ...FRANK }), { ok: true, value: { step: 'mfa-required', methods: ['authenticator-app'] } });
  assert.equal(await again.signInWithCode(wrongCode(seedBase32)), { ok: false, code: 'InvalidAuthenticationCode', message: 'The MFA code is not valid. Wait for the next code and try again.' });
  // The enabling codes are spent; the next step's code is good once.
  const next = totpCode(seedBase32, step + 1);
  assert.equal(await again.signInWithCode(next), { ok: true, value: undefined });
  await again.signOut();
  const replay = env.client();
  await replay.signIn({ account: ACCOUNT, ...FRANK });
  assert.equal((await replay.signInWithCode(next)).ok, false);

  // Remove takes the device away, and with it the MFA step.
  const passwordOnly = await signedInClient(env, FRANK).catch(() => undefined);
  assert.is(passwordOnly, undefined, 'a password alone does not sign frank in while the device is assigned');
  env.server.store.mfa.deactivate(FRANK.userName, serialNumber);
  const plain = await signedInClient(env, FRANK);
  assert.equal(await plain.listMfaDevices(), { ok: true, value: [] });
});

test('Remove on My Security Credentials deactivates the device through IAM', async () => {
  const frank = await signedInClient(env, FRANK);
  const begun = await frank.beginAuthenticatorApp('Tablet');
  assert.ok(begun.ok);
  const { serialNumber, seedBase32 } = begun.ok ? begun.value : { serialNumber: '', seedBase32: '' };
  const step = totpStep(Date.now());
  assert.is((await frank.finishAuthenticatorApp({ serialNumber, seedBase32, code1: totpCode(seedBase32, step - 1), code2: totpCode(seedBase32, step) })).ok, true);
  assert.equal(await frank.removeMfaDevice(serialNumber), { ok: true, value: undefined });
  assert.equal(env.server.store.mfa.listForUser(FRANK.userName), []);
  const missing = await frank.removeMfaDevice(serialNumber);
  assert.equal(missing.ok ? 'removed' : missing.code, 'NoSuchEntity');
});

test.run();
