// Cross-check with a relying party nobody on this project wrote: Debian's python-fido2 0.9.1
// Fido2Server verifies a registration (fido-u2f attestation chained to the token's certificate)
// and an assertion that our WebAuthn client made on the emulator. Skipped without python3-fido2.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile, spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { toBase64url, type WebAuthnClient } from '../../harness/webauthn/index.ts';
import { FIDO2_SERVER_CHECK_SCRIPT } from './fido2-server-check.ts';
import { RP_ID, withEmulatorBrowser } from './support.ts';

const PYTHON = '/usr/bin/python3';
const hasFido2 = spawnSync(PYTHON, ['-c', 'import fido2'], { stdio: 'ignore' }).status === 0;
const withFido2 = hasFido2 ? test : test.skip;

interface StepResult {
  ok: boolean;
  error?: string;
  message?: string;
  [key: string]: unknown;
}

interface CheckResult {
  registration: StepResult;
  authentication?: StepResult;
}

function runCheck(input: unknown): Promise<CheckResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(PYTHON, ['-c', FIDO2_SERVER_CHECK_SCRIPT], { timeout: 20_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`python-fido2 check exited with ${error.code}: ${stderr}`));
      else resolve(JSON.parse(stdout) as CheckResult);
    });
    child.stdin?.end(JSON.stringify(input));
  });
}

async function trustedCertificate(): Promise<string> {
  const pem = await readFile('fixtures/attestation/default.cert.pem', 'utf8');
  return toBase64url(new X509Certificate(pem).raw);
}

/** Register and authenticate with `browser` for RP_ID, in the shape the Python script reads. */
async function ceremonies(browser: WebAuthnClient, challenges: { registration: string; authentication: string }) {
  const registration = await browser.create({
    rp: { id: RP_ID, name: 'keyloop' },
    user: { id: toBase64url(new TextEncoder().encode('keyloop-user')), name: 'alice', displayName: 'Alice' },
    challenge: challenges.registration,
    pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
    attestation: 'direct',
  });
  const assertion = await browser.get({ rpId: RP_ID, challenge: challenges.authentication, allowCredentials: [{ id: registration.id, type: 'public-key' }] });
  return {
    registration: { challenge: challenges.registration, clientDataJSON: registration.response.clientDataJSON, attestationObject: registration.response.attestationObject },
    authentication: {
      challenge: challenges.authentication,
      credentialId: assertion.rawId,
      clientDataJSON: assertion.response.clientDataJSON,
      authenticatorData: assertion.response.authenticatorData,
      signature: assertion.response.signature,
    },
    credentialId: registration.id,
  };
}

// Fixed challenges (python-fido2 wants at least 16 bytes): the check is deterministic given the token.
const CHALLENGES = {
  registration: toBase64url(new Uint8Array(32).fill(0x11)),
  authentication: toBase64url(new Uint8Array(32).fill(0x22)),
};

withFido2('python-fido2 Fido2Server accepts our fido-u2f registration and our assertion', async () => {
  const made = await withEmulatorBrowser(({ browser }) => ceremonies(browser(), CHALLENGES));
  const result = await runCheck({ rpId: RP_ID, trustedCertificate: await trustedCertificate(), ...made });
  assert.equal(result.registration, {
    ok: true,
    fmt: 'fido-u2f',
    flags: 0x41,
    counter: 0,
    aaguid: '00'.repeat(16),
    credentialId: made.credentialId,
    canonicalCbor: true,
  });
  assert.equal(result.authentication, { ok: true, counter: 1, userPresent: true });
});

withFido2('python-fido2 Fido2Server rejects a registration made for another origin', async () => {
  // Only the origin differs from the accepted case, so the rejection is the origin check's.
  const made = await withEmulatorBrowser(({ browser }) =>
    ceremonies(browser({ origin: 'https://evil.example', unsafeSkipOriginCheck: true }), CHALLENGES));
  const result = await runCheck({ rpId: RP_ID, trustedCertificate: await trustedCertificate(), ...made });
  assert.is(result.registration.ok, false);
  assert.is(result.registration.error, 'ValueError', result.registration.message);
});

test.run();
