// Key handles (FIDO U2F Raw Message Formats v1.2, "Registration Response Message: Success" and
// "Authentication Request Message"): a handle opens only on the device and for the application
// that made it; anything else is 6A80. Every signature is checked with node:crypto.
import { rm } from 'node:fs/promises';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { StatusWord, U2fToken } from '../../emulator/token/index.ts';
import {
  authenticateApdu,
  authenticateSigned,
  openToken,
  parseAuthentication,
  register,
  registerSigned,
  sha256,
  status,
  tempDir,
  verifyWithCertificate,
  verifyWithPoint,
} from './helpers.ts';

let token: U2fToken;
const dirs: string[] = [];
const newDir = async (label: string) => {
  const dir = await tempDir(label);
  dirs.push(dir);
  return dir;
};
test.before(async () => {
  token = await openToken();
});
test.after(async () => {
  await token.close();
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

const challenge = sha256('auth challenge');

test('registration: attestation signature and certificate check out with node:crypto', async () => {
  const { app, challenge: c, registration } = await register(token);
  assert.is(registration.publicKey.length, 65);
  assert.is(registration.publicKey[0], 0x04);
  assert.equal(registration.certificate, token.attestationCertificate);
  assert.ok(verifyWithCertificate(registration.certificate, registerSigned(app, c, registration), registration.signature));
});

test('authentication: signature by the registered public key, UP set, counter signed', async () => {
  const { app, registration } = await register(token);
  const before = token.counter;
  const auth = parseAuthentication(await token.process(authenticateApdu(3, challenge, app, registration.keyHandle)));
  assert.is(auth.userPresence, 1);
  assert.is(auth.counter, before + 1);
  assert.is(token.counter, auth.counter);
  assert.ok(verifyWithPoint(registration.publicKey, authenticateSigned(app, challenge, 1, auth.counter), auth.signature));
});

test('P1 08 signs without presence and with UP 0, also when presence is denied', async () => {
  const { app, registration } = await register(token);
  token.presence = { mode: 'deny' };
  try {
    const auth = parseAuthentication(await token.process(authenticateApdu(8, challenge, app, registration.keyHandle)));
    assert.is(auth.userPresence, 0);
    assert.ok(verifyWithPoint(registration.publicKey, authenticateSigned(app, challenge, 0, auth.counter), auth.signature));
  } finally {
    token.presence = { mode: 'auto' };
  }
});

test('every single-bit flip of a key handle is rejected with 6A80', async () => {
  const { app, registration } = await register(token);
  const handle = registration.keyHandle;
  for (let bit = 0; bit < handle.length * 8; bit++) {
    const flipped = handle.slice();
    flipped[bit >> 3]! ^= 1 << (bit & 7);
    assert.is(status(await token.process(authenticateApdu(3, challenge, app, flipped))), StatusWord.WRONG_DATA, `bit ${bit}`);
  }
});

test('truncated, extended, empty and 255-byte handles are rejected with 6A80', async () => {
  const { app, registration } = await register(token);
  const handle = registration.keyHandle;
  const candidates = [
    new Uint8Array(0),
    ...Array.from({ length: handle.length }, (_, n) => handle.subarray(0, n)),
    Buffer.concat([handle, Uint8Array.of(0)]),
    Buffer.concat([handle, handle]),
    Buffer.concat([handle, new Uint8Array(255 - handle.length)]),
  ];
  for (const candidate of candidates) {
    for (const p1 of [3, 7, 8]) {
      assert.is(status(await token.process(authenticateApdu(p1, challenge, app, candidate))), StatusWord.WRONG_DATA, `${candidate.length} bytes, P1 ${p1}`);
    }
  }
});

test('a handle presented for another application is rejected with 6A80', async () => {
  const { registration } = await register(token, sha256('https://one.example'));
  for (const p1 of [3, 7, 8]) {
    assert.is(status(await token.process(authenticateApdu(p1, challenge, sha256('https://two.example'), registration.keyHandle))), StatusWord.WRONG_DATA);
  }
});

test('a handle from another device (other secret, other state directory) is rejected with 6A80', async () => {
  const { app, registration } = await register(token);
  const other = await openToken({ deviceSecret: new Uint8Array(32).fill(8) });
  const [dirA, dirB] = [await newDir('a'), await newDir('b')];
  const onDiskA = await openToken({ stateDir: dirA });
  const onDiskB = await openToken({ stateDir: dirB });
  try {
    assert.is(status(await other.process(authenticateApdu(3, challenge, app, registration.keyHandle))), StatusWord.WRONG_DATA);
    const fromA = (await register(onDiskA, app)).registration;
    assert.is(status(await onDiskA.process(authenticateApdu(3, challenge, app, fromA.keyHandle))), StatusWord.NO_ERROR);
    assert.is(status(await onDiskB.process(authenticateApdu(3, challenge, app, fromA.keyHandle))), StatusWord.WRONG_DATA);
    assert.is(status(await onDiskB.process(authenticateApdu(7, challenge, app, fromA.keyHandle))), StatusWord.WRONG_DATA);
  } finally {
    await Promise.all([other.close(), onDiskA.close(), onDiskB.close()]);
  }
});

test('a handle survives close and reopen of the same state directory', async () => {
  const dir = await newDir('reopen');
  const first = await openToken({ stateDir: dir });
  const { app, registration } = await register(first);
  await first.close();
  const second = await openToken({ stateDir: dir });
  const auth = parseAuthentication(await second.process(authenticateApdu(3, challenge, app, registration.keyHandle)));
  assert.ok(verifyWithPoint(registration.publicKey, authenticateSigned(app, challenge, 1, auth.counter), auth.signature));
  await second.close();
});

test('node signer: randomized signatures that still verify, same key handles as noble', async () => {
  const fast = await openToken({ signer: 'node' });
  const { app, challenge: c, registration } = await register(fast);
  const nobleRegistration = (await register(token)).registration;
  assert.equal(registration.keyHandle, nobleRegistration.keyHandle);
  assert.equal(registration.publicKey, nobleRegistration.publicKey);
  assert.ok(verifyWithCertificate(registration.certificate, registerSigned(app, c, registration), registration.signature));
  const one = parseAuthentication(await fast.process(authenticateApdu(3, challenge, app, registration.keyHandle)));
  const two = parseAuthentication(await fast.process(authenticateApdu(3, challenge, app, registration.keyHandle)));
  assert.ok(verifyWithPoint(registration.publicKey, authenticateSigned(app, challenge, 1, one.counter), one.signature));
  assert.ok(verifyWithPoint(registration.publicKey, authenticateSigned(app, challenge, 1, two.counter), two.signature));
  await fast.close();
});

test.run();
