// Shared pieces of the U2F conformance scenarios: parameters and a verified registration.
import { createHash, randomBytes } from 'node:crypto';
import type { Expect } from '../../harness/runner/index.ts';
import { verifyRegistration, type RegisterResponse, type U2fClient } from '../../harness/u2f/index.ts';

/** Application parameter for an origin, as a browser computes it. */
export function applicationFor(origin: string): Uint8Array {
  return new Uint8Array(createHash('sha256').update(origin).digest());
}

export const APP = applicationFor('https://keyloop.example');
export const OTHER_APP = applicationFor('https://other.example');

export function freshChallenge(): Uint8Array {
  return new Uint8Array(randomBytes(32));
}

/** Register for `application` and check the attestation signature with node:crypto. */
export async function registerVerified(u2f: U2fClient, expect: Expect, application = APP): Promise<RegisterResponse> {
  const challenge = freshChallenge();
  const registration = await u2f.register({ challenge, application });
  expect.true(verifyRegistration(registration, challenge, application), 'attestation signature verifies with node:crypto');
  return registration;
}

/** Copy of `bytes` with one bit flipped. */
export function flipBit(bytes: Uint8Array, bit: number): Uint8Array {
  const copy = new Uint8Array(bytes);
  copy[bit >> 3] ^= 1 << (bit & 7);
  return copy;
}
