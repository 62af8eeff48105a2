// Key handles reveal nothing of the private key (FIDO U2F Raw Message Formats v1.2, "Registration
// Response Message: Success": the handle is the token's, opaque to everyone else). Each
// registration gets its own handle; no 4 bytes in a row of the credential's private scalar, its
// public key, the application parameter or the device secret appear in it; and its bytes look
// uniformly random, by a chi-square bound that non-uniform bytes do exceed. That a handle opens
// only on its own device and for its own application (6A80 otherwise) is
// test/token/key-handle.test.ts's.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { p256 } from '@noble/curves/nist.js';
import type { U2fToken } from '../../emulator/token/index.ts';
import { KeyHandleCodec } from '../../emulator/token/key-handle.ts';
import { openToken, register, sha256 } from '../token/helpers.ts';

const DEVICE_SECRET = new Uint8Array(32).fill(7);
const APP = sha256('https://security.example');
const HANDLES = 1000;

interface Registration {
  keyHandle: Uint8Array;
  publicKey: Uint8Array;
  privateKey: Uint8Array;
}

let token: U2fToken;
let registrations: Registration[];

test.before(async () => {
  // node:crypto signs the attestation faster; the handles are the same as with noble.
  token = await openToken({ deviceSecret: DEVICE_SECRET, signer: 'node' });
  const codec = new KeyHandleCodec(DEVICE_SECRET);
  registrations = [];
  for (let i = 0; i < HANDLES; i++) {
    const challenge = sha256(`challenge ${i}`);
    const { registration } = await register(token, APP, challenge);
    const privateKey = codec.deriveCredentialKey(APP, challenge);
    registrations.push({ keyHandle: registration.keyHandle.slice(), publicKey: registration.publicKey.slice(), privateKey });
  }
});

test.after(async () => {
  await token.close();
});

/** Where any `width` consecutive bytes of `secret` occur in `data`, as `secret offset @ data offset`. */
function sharedWindows(secret: Uint8Array, data: Uint8Array, width = 4): string[] {
  const found: string[] = [];
  const haystack = Buffer.from(data);
  for (let i = 0; i + width <= secret.length; i++) {
    const at = haystack.indexOf(secret.subarray(i, i + width));
    if (at >= 0) found.push(`${i}@${at}`);
  }
  return found;
}

/** Pearson's chi-square statistic of `values` against the uniform distribution over `bins`. */
function chiSquare(values: Iterable<number>, bins: number): number {
  const counts = new Array<number>(bins).fill(0);
  let total = 0;
  for (const value of values) {
    counts[value]++;
    total++;
  }
  const expected = total / bins;
  return counts.reduce((sum, count) => sum + (count - expected) ** 2 / expected, 0);
}

/** The chi-square value exceeded with probability `p` at `df` degrees of freedom (Wilson-Hilferty). */
function chiSquareBound(df: number, z: number): number {
  const a = 2 / (9 * df);
  return df * (1 - a + z * Math.sqrt(a)) ** 3;
}

test('the private key sealed in each handle is the one the token derived, so the checks below look at the right secret', () => {
  for (const { publicKey, privateKey } of registrations.slice(0, 20)) {
    assert.equal(Buffer.from(p256.getPublicKey(privateKey, false)), Buffer.from(publicKey));
  }
  const codec = new KeyHandleCodec(DEVICE_SECRET);
  const first = registrations[0];
  assert.equal(codec.unwrap(first.keyHandle, APP), first.privateKey);
});

test('every registration for the same application gets its own handle and key pair', () => {
  const handles = new Set(registrations.map((r) => Buffer.from(r.keyHandle).toString('hex')));
  const keys = new Set(registrations.map((r) => Buffer.from(r.publicKey).toString('hex')));
  assert.is(handles.size, HANDLES);
  assert.is(keys.size, HANDLES);
  assert.ok(registrations.every((r) => r.keyHandle.length === registrations[0].keyHandle.length), 'one length for all: the length tells nothing');
});

test('no 4 bytes in a row of the private scalar, the public key, the application or the device secret appear in any handle', () => {
  const leaks: string[] = [];
  for (const [n, { keyHandle, publicKey, privateKey }] of registrations.entries()) {
    for (const [name, secret] of [['private key', privateKey], ['public key', publicKey], ['application', APP], ['device secret', DEVICE_SECRET]] as const) {
      for (const window of sharedWindows(secret, keyHandle)) leaks.push(`handle ${n}: ${name} ${window}`);
    }
  }
  assert.equal(leaks, []);
  // The check sees a leak where there is one: a handle that carried 4 bytes of the key.
  const leaky = Uint8Array.from([...registrations[0].keyHandle.subarray(0, 10), ...registrations[0].privateKey.subarray(5, 9)]);
  assert.equal(sharedWindows(registrations[0].privateKey, leaky), ['5@10']);
});

test('handle bytes are uniform: chi-square over all bytes and per position stays under a bound that skewed bytes exceed', () => {
  const handles = registrations.map((r) => r.keyHandle);
  // All bytes pooled: 256 bins, 255 degrees of freedom, p = 1e-6 (z = 4.75).
  const pooledBound = chiSquareBound(255, 4.75);
  const pooled = chiSquare(handles.flatMap((handle) => [...handle]), 256);
  assert.ok(pooled < pooledBound, `pooled chi-square ${pooled.toFixed(1)} >= ${pooledBound.toFixed(1)}`);
  // Each position's high and low nibble: 16 bins, 15 degrees of freedom, p = 1e-6 over all of them (z = 5.64).
  const perPositionBound = chiSquareBound(15, 5.64);
  for (let position = 0; position < handles[0].length; position++) {
    for (const [name, nibble] of [['high', (b: number) => b >> 4], ['low', (b: number) => b & 15]] as const) {
      const value = chiSquare(handles.map((handle) => nibble(handle[position])), 16);
      assert.ok(value < perPositionBound, `byte ${position} ${name} nibble: chi-square ${value.toFixed(1)} >= ${perPositionBound.toFixed(1)}`);
    }
  }
  // The bounds do fail on bytes that are not uniform: public keys all start with 0x04, and a
  // nibble that only ever takes half its values is far off.
  assert.ok(chiSquare(registrations.flatMap((r) => [...r.publicKey]), 256) > pooledBound);
  assert.ok(chiSquare(handles.map((_, n) => n % 8), 16) > perPositionBound);
});

test.run();
