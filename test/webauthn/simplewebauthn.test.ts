// Our WebAuthn client on the emulator token against @simplewebauthn/server 14 as the relying
// party: registration (fido-u2f and "none"), assertion with a rising counter, signatures checked
// again with node:crypto, and each failure a browser reports, by DOMException name and reason.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash, createPublicKey, verify, X509Certificate } from 'node:crypto';
import { decode, Decoder } from 'cbor-x';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type WebAuthnCredential,
} from '@simplewebauthn/server';
import {
  fromBase64url,
  toBase64url,
  WebAuthnError,
  type RegistrationResponseJSON,
  type WebAuthnClient,
  type WebAuthnErrorName,
  type WebAuthnErrorReason,
} from '../../harness/webauthn/index.ts';
import { ORIGIN, RP_ID, withEmulatorBrowser } from './support.ts';

const sha256 = (bytes: Uint8Array) => new Uint8Array(createHash('sha256').update(bytes).digest());
const bytes = (text: string) => fromBase64url(text, 'test value');
/** COSE keys have integer labels: decode CBOR maps as Maps, not objects. */
const decodeCoseKey = (cbor: Uint8Array) => new Decoder({ mapsAsObjects: false, useRecords: false }).decode(cbor) as Map<number, unknown>;

function registrationOptions(overrides: Partial<Parameters<typeof generateRegistrationOptions>[0]> = {}) {
  return generateRegistrationOptions({ rpName: 'keyloop', rpID: RP_ID, userName: 'alice', attestationType: 'direct', ...overrides });
}

async function expectWebAuthnError(promise: Promise<unknown>, name: WebAuthnErrorName, reason: WebAuthnErrorReason): Promise<WebAuthnError> {
  try {
    await promise;
  } catch (error) {
    assert.instance(error, WebAuthnError);
    const webauthnError = error as WebAuthnError;
    assert.equal([webauthnError.name, webauthnError.reason], [name, reason], webauthnError.message);
    return webauthnError;
  }
  throw new assert.Assertion({ message: `expected ${name} (${reason}), but the ceremony succeeded`, expects: name, actual: 'success', operator: 'throws' });
}

/** Register through SimpleWebAuthn and return the credential it stores. */
async function registerVerified(browser: WebAuthnClient): Promise<{ response: RegistrationResponseJSON; credential: WebAuthnCredential }> {
  const options = await registrationOptions();
  const response = await browser.create(options);
  const verification = await verifyRegistrationResponse({
    response, expectedChallenge: options.challenge, expectedOrigin: ORIGIN, expectedRPID: RP_ID, requireUserVerification: false,
  });
  assert.ok(verification.verified);
  return { response, credential: verification.registrationInfo!.credential };
}

/** A credential id that is not ours: a random-looking key handle of a plausible length. */
const FOREIGN_ID = toBase64url(sha256(new TextEncoder().encode('not a keyloop key handle')));

test('registration: SimpleWebAuthn verifies the fido-u2f attestation and stores our credential', async () => {
  await withEmulatorBrowser(async ({ browser }) => {
    const options = await registrationOptions();
    const response = await browser().create(options);
    const verification = await verifyRegistrationResponse({
      response, expectedChallenge: options.challenge, expectedOrigin: ORIGIN, expectedRPID: RP_ID, requireUserVerification: false,
    });
    assert.ok(verification.verified);
    const info = verification.registrationInfo!;
    assert.is(info.fmt, 'fido-u2f');
    assert.is(info.aaguid, '00000000-0000-0000-0000-000000000000');
    assert.is(info.credential.id, response.id);
    assert.is(response.rawId, response.id);
    assert.is(info.credential.counter, 0);
    assert.is(info.userVerified, false);

    // The stored COSE key is the one in authData and the same point as response.publicKey (SPKI).
    const authData = bytes(response.response.authenticatorData!);
    assert.equal(toBase64url(authData.subarray(55 + bytes(response.id).length)), toBase64url(info.credential.publicKey));
    const cose = decodeCoseKey(info.credential.publicKey);
    const jwk = createPublicKey({ key: Buffer.from(bytes(response.response.publicKey!)), format: 'der', type: 'spki' }).export({ format: 'jwk' });
    assert.equal([cose.get(1), cose.get(3), cose.get(-1)], [2, -7, 1]);
    assert.is(toBase64url(cose.get(-2) as Uint8Array), jwk.x);
    assert.is(toBase64url(cose.get(-3) as Uint8Array), jwk.y);

    assert.equal(
      { type: response.type, attachment: response.authenticatorAttachment, transports: response.response.transports, alg: response.response.publicKeyAlgorithm, extensions: response.clientExtensionResults },
      { type: 'public-key', attachment: 'cross-platform', transports: ['usb'], alg: -7, extensions: { credProps: { rk: false } } },
    );
  });
});

test('registration: clientDataJSON is the browser serialization and authData has the U2F layout', async () => {
  await withEmulatorBrowser(async ({ browser }) => {
    const options = await registrationOptions();
    const response = await browser().create(options);
    assert.is(
      new TextDecoder().decode(bytes(response.response.clientDataJSON)),
      `{"type":"webauthn.create","challenge":"${options.challenge}","origin":"${ORIGIN}","crossOrigin":false}`,
    );
    const authData = bytes(response.response.authenticatorData!);
    const credentialId = bytes(response.id);
    assert.equal(toBase64url(authData.subarray(0, 32)), toBase64url(sha256(new TextEncoder().encode(RP_ID))));
    assert.is(authData[32], 0x41);
    assert.equal([...authData.subarray(33, 37)], [0, 0, 0, 0]);
    assert.equal([...authData.subarray(37, 53)], new Array(16).fill(0));
    assert.is((authData[53] << 8) | authData[54], credentialId.length);
    assert.equal(toBase64url(authData.subarray(55, 55 + credentialId.length)), response.id);
    assert.is(authData.length, 55 + credentialId.length + 77);
  });
});

test('registration: the fido-u2f attestation signature verifies with node:crypto', async () => {
  await withEmulatorBrowser(async ({ browser }) => {
    const response = await browser().create(await registrationOptions());
    const attestation = decode(bytes(response.response.attestationObject)) as {
      fmt: string; attStmt: { sig: Uint8Array; x5c: Uint8Array[] }; authData: Uint8Array;
    };
    assert.equal(Object.keys(attestation), ['fmt', 'attStmt', 'authData']);
    assert.equal(Object.keys(attestation.attStmt), ['sig', 'x5c']);
    assert.is(attestation.attStmt.x5c.length, 1);
    assert.is(toBase64url(attestation.authData), response.response.authenticatorData);

    // FIDO U2F §4.3 as WebAuthn §8.6 restates it: 00 || rpIdHash || clientDataHash || credId || 04 x y.
    const cose = decodeCoseKey(attestation.authData.subarray(55 + bytes(response.id).length)) as Map<number, Uint8Array>;
    const signed = Buffer.concat([
      Buffer.from([0]),
      attestation.authData.subarray(0, 32),
      sha256(bytes(response.response.clientDataJSON)),
      bytes(response.id),
      Buffer.from([4]), cose.get(-2)!, cose.get(-3)!,
    ]);
    const certificate = new X509Certificate(attestation.attStmt.x5c[0]);
    assert.ok(verify('sha256', signed, certificate.publicKey, attestation.attStmt.sig));
    assert.ok(!verify('sha256', Buffer.concat([signed, Buffer.from([0])]), certificate.publicKey, attestation.attStmt.sig));
  });
});

test('registration: attestation "none" (SimpleWebAuthn\'s default) gets the "none" format, as in Chromium', async () => {
  await withEmulatorBrowser(async ({ browser }) => {
    const options = await registrationOptions({ attestationType: 'none' });
    const response = await browser().create(options);
    const attestation = decode(bytes(response.response.attestationObject)) as { fmt: string; attStmt: object };
    assert.equal([attestation.fmt, attestation.attStmt], ['none', {}]);
    const verification = await verifyRegistrationResponse({
      response, expectedChallenge: options.challenge, expectedOrigin: ORIGIN, expectedRPID: RP_ID, requireUserVerification: false,
    });
    assert.ok(verification.verified);
    assert.is(verification.registrationInfo!.fmt, 'none');
  });
});

test('assertion: SimpleWebAuthn verifies it and the counter rises on every use', async () => {
  await withEmulatorBrowser(async ({ browser }) => {
    const { credential } = await registerVerified(browser());
    let stored = credential;
    for (const round of [1, 2]) {
      const options = await generateAuthenticationOptions({ rpID: RP_ID, allowCredentials: [{ id: stored.id, transports: ['usb'] }] });
      const response = await browser().get(options);
      const verification = await verifyAuthenticationResponse({
        response, expectedChallenge: options.challenge, expectedOrigin: ORIGIN, expectedRPID: RP_ID, credential: stored, requireUserVerification: false,
      });
      assert.ok(verification.verified, `round ${round}`);
      assert.ok(verification.authenticationInfo.newCounter > stored.counter, `round ${round}: counter ${verification.authenticationInfo.newCounter} > ${stored.counter}`);
      assert.is(response.id, stored.id);
      assert.is(response.response.userHandle, undefined);
      assert.equal(response.clientExtensionResults, {});
      stored = { ...stored, counter: verification.authenticationInfo.newCounter };
    }
  });
});

test('assertion: the signature verifies with node:crypto over authenticatorData || clientDataHash', async () => {
  await withEmulatorBrowser(async ({ browser }) => {
    const { response: registration } = await registerVerified(browser());
    const options = await generateAuthenticationOptions({ rpID: RP_ID, allowCredentials: [{ id: FOREIGN_ID }, { id: registration.id }] });
    const response = await browser().get(options);
    const authData = bytes(response.response.authenticatorData);
    assert.is(authData.length, 37);
    assert.is(authData[32] & 0x01, 0x01, 'UP flag');
    assert.is(
      new TextDecoder().decode(bytes(response.response.clientDataJSON)),
      `{"type":"webauthn.get","challenge":"${options.challenge}","origin":"${ORIGIN}","crossOrigin":false}`,
    );
    const publicKey = createPublicKey({ key: Buffer.from(bytes(registration.response.publicKey!)), format: 'der', type: 'spki' });
    const signed = Buffer.concat([authData, sha256(bytes(response.response.clientDataJSON))]);
    assert.ok(verify('sha256', signed, publicKey, bytes(response.response.signature)));
  });
});

test('SecurityError: an rp id that is not the origin\'s host or a suffix of it', async () => {
  await withEmulatorBrowser(async ({ browser }) => {
    const elsewhere = browser({ origin: 'https://evil.example' });
    await expectWebAuthnError(elsewhere.create(await registrationOptions()), 'SecurityError', 'rp-id-mismatch');
    await expectWebAuthnError(elsewhere.get(await generateAuthenticationOptions({ rpID: RP_ID, allowCredentials: [{ id: FOREIGN_ID }] })), 'SecurityError', 'rp-id-mismatch');
    // A subdomain may claim its parent domain, and the RP accepts that origin when it expects it.
    const subdomain = `https://login.${RP_ID}`;
    const options = await registrationOptions();
    const response = await browser({ origin: subdomain }).create(options);
    const verification = await verifyRegistrationResponse({
      response, expectedChallenge: options.challenge, expectedOrigin: subdomain, expectedRPID: RP_ID, requireUserVerification: false,
    });
    assert.ok(verification.verified);
  });
});

test('InvalidStateError: excludeCredentials holding our credential; a foreign one does not stop registration', async () => {
  await withEmulatorBrowser(async ({ browser }) => {
    const { response } = await registerVerified(browser());
    await expectWebAuthnError(
      browser().create(await registrationOptions({ excludeCredentials: [{ id: FOREIGN_ID }, { id: response.id }] })),
      'InvalidStateError', 'credential-excluded',
    );
    const again = await browser().create(await registrationOptions({ excludeCredentials: [{ id: FOREIGN_ID }] }));
    assert.is.not(again.id, response.id);
  });
});

test('NotAllowedError: allowCredentials with only foreign credentials, or none at all', async () => {
  await withEmulatorBrowser(async ({ browser }) => {
    const { response } = await registerVerified(browser());
    await expectWebAuthnError(
      browser().get(await generateAuthenticationOptions({ rpID: RP_ID, allowCredentials: [{ id: FOREIGN_ID }] })),
      'NotAllowedError', 'no-matching-credential',
    );
    // Our key handle, but asked for by another RP: the token's check-only answers "not mine".
    const otherRp = browser({ origin: 'https://other.example' });
    await expectWebAuthnError(
      otherRp.get(await generateAuthenticationOptions({ rpID: 'other.example', allowCredentials: [{ id: response.id }] })),
      'NotAllowedError', 'no-matching-credential',
    );
    await expectWebAuthnError(browser().get(await generateAuthenticationOptions({ rpID: RP_ID })), 'NotAllowedError', 'no-matching-credential');
  });
});

test('NotAllowedError after the presence timeout when the touch never comes', async () => {
  await withEmulatorBrowser(async ({ browser, target }) => {
    const { response } = await registerVerified(browser());
    target.control!.setPresence({ mode: 'deny' });
    const patient = browser({ presenceTimeoutMs: 300 });
    let started = Date.now();
    const error = await expectWebAuthnError(
      patient.get(await generateAuthenticationOptions({ rpID: RP_ID, allowCredentials: [{ id: response.id }] })),
      'NotAllowedError', 'presence-timeout',
    );
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 300 && elapsed < 3_000, `gave up after ${elapsed} ms`);
    assert.is((error.cause as Error).name, 'PresenceTimeoutError');
    started = Date.now();
    await expectWebAuthnError(patient.create(await registrationOptions()), 'NotAllowedError', 'presence-timeout');
    assert.ok(Date.now() - started >= 300);
  });
});

test('NotSupportedError without ES256; NotAllowedError for what a U2F key cannot do', async () => {
  await withEmulatorBrowser(async ({ browser }) => {
    await expectWebAuthnError(browser().create(await registrationOptions({ supportedAlgorithmIDs: [-257, -8] })), 'NotSupportedError', 'unsupported-algorithm');
    await expectWebAuthnError(
      browser().create(await registrationOptions({ authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' } })),
      'NotAllowedError', 'authenticator-ineligible',
    );
    await expectWebAuthnError(
      browser().create(await registrationOptions({ authenticatorSelection: { residentKey: 'discouraged', userVerification: 'required' } })),
      'NotAllowedError', 'authenticator-ineligible',
    );
    await expectWebAuthnError(
      browser().get(await generateAuthenticationOptions({ rpID: RP_ID, userVerification: 'required', allowCredentials: [{ id: FOREIGN_ID }] })),
      'NotAllowedError', 'authenticator-ineligible',
    );
  });
});

test('the RP\'s own checks: a response for the wrong origin or rp id is rejected by SimpleWebAuthn', async () => {
  await withEmulatorBrowser(async ({ browser }) => {
    const rejects = (promise: Promise<unknown>) => promise.then(() => false, () => true);
    const expected = { expectedOrigin: ORIGIN, expectedRPID: RP_ID, requireUserVerification: false };

    // Control: the honest response passes; then each response differs from it in one respect.
    const options = await registrationOptions();
    const honest = await browser().create(options);
    assert.ok((await verifyRegistrationResponse({ response: honest, expectedChallenge: options.challenge, ...expected })).verified);
    assert.ok(await rejects(verifyRegistrationResponse({ response: honest, expectedChallenge: options.challenge, ...expected, expectedOrigin: 'https://other.example' })));

    const spoofedOrigin = await browser({ origin: 'https://evil.example', unsafeSkipOriginCheck: true }).create(await registrationOptions({ challenge: bytes(options.challenge) }));
    assert.ok(await rejects(verifyRegistrationResponse({ response: spoofedOrigin, expectedChallenge: options.challenge, ...expected })));

    const spoofedRpId = await browser({ unsafeSkipOriginCheck: true }).create(await registrationOptions({ rpID: 'evil.example', challenge: bytes(options.challenge) }));
    assert.ok(await rejects(verifyRegistrationResponse({ response: spoofedRpId, expectedChallenge: options.challenge, ...expected })));

    const { credential } = await registerVerified(browser());
    const authOptions = await generateAuthenticationOptions({ rpID: RP_ID, allowCredentials: [{ id: credential.id }] });
    const assertion = await browser({ origin: 'https://evil.example', unsafeSkipOriginCheck: true }).get(authOptions);
    assert.ok(await rejects(verifyAuthenticationResponse({ response: assertion, expectedChallenge: authOptions.challenge, credential, ...expected })));
  });
});

test.run();
