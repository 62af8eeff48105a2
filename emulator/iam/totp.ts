// TOTP (RFC 6238) as AWS virtual MFA devices use it: HMAC-SHA1, 6 digits, 30-second steps, the
// seed handed out in base32 (RFC 4648). Computed with `otpauth`.
import { HOTP, Secret } from 'otpauth';
import { constantTimeEqual } from '../util/constant-time.ts';

export const TOTP_PERIOD_MS = 30_000;

export const totpStep = (ms: number): number => Math.floor(ms / TOTP_PERIOD_MS);

export function seedToBase32(seed: Uint8Array): string {
  return new Secret({ buffer: Uint8Array.from(seed).buffer }).base32;
}

export function totpCode(seedBase32: string, step: number): string {
  return HOTP.generate({ secret: Secret.fromBase32(seedBase32), counter: step, digits: 6, algorithm: 'SHA1' });
}

export interface CodeSearch {
  seedBase32: string;
  /** The step the device should be at now (our step plus its known drift). */
  aroundStep: number;
  /** How many steps either side of `aroundStep` to accept. */
  window: number;
  /** Steps at or before this one were used already. */
  after?: number;
}

/** The step at which `code` is valid, or undefined. */
export function findCode({ seedBase32, aroundStep, window, after = -Infinity }: CodeSearch, code: string): number | undefined {
  for (let step = aroundStep - window; step <= aroundStep + window; step++) {
    if (step > after && constantTimeEqual(totpCode(seedBase32, step), code)) return step;
  }
  return undefined;
}

/** The step of `code2` when `code1` and `code2` are consecutive codes near `aroundStep`. */
export function findConsecutiveCodes(search: CodeSearch, code1: string, code2: string): number | undefined {
  const { seedBase32, aroundStep, window, after = -Infinity } = search;
  for (let step = aroundStep - window; step <= aroundStep + window; step++) {
    // Both codes are compared whatever the first one's outcome, so timing tells nothing of either.
    const first = constantTimeEqual(totpCode(seedBase32, step - 1), code1);
    const second = constantTimeEqual(totpCode(seedBase32, step), code2);
    if (step - 1 > after && first && second) return step;
  }
  return undefined;
}
