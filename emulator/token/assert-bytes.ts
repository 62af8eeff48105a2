// Length checks that run before any slice, so a short or long message becomes a typed error
// (and from there a status word) instead of silently shorter fields.
import { TokenError, type TokenErrorCode } from './token-error.ts';

/** Throws `code` unless `bytes` is exactly `expected` bytes long. */
export function assertLength(bytes: Uint8Array, expected: number, what: string, code: TokenErrorCode = 'WRONG_LENGTH'): void {
  if (bytes.length !== expected) {
    throw new TokenError(code, `${what}: expected ${expected} bytes, got ${bytes.length}`);
  }
}

/** Throws `code` unless `bytes` is at least `min` bytes long. */
export function assertMinLength(bytes: Uint8Array, min: number, what: string, code: TokenErrorCode = 'WRONG_LENGTH'): void {
  if (bytes.length < min) {
    throw new TokenError(code, `${what}: expected at least ${min} bytes, got ${bytes.length}`);
  }
}

/** Throws `code` if `bytes` is longer than `max` bytes. */
export function assertMaxLength(bytes: Uint8Array, max: number, what: string, code: TokenErrorCode = 'WRONG_LENGTH'): void {
  if (bytes.length > max) {
    throw new TokenError(code, `${what}: expected at most ${max} bytes, got ${bytes.length}`);
  }
}
