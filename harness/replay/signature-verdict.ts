// A signature check as a comparable fact. node:crypto throws on keys or certificates it cannot
// read; for a replay that is an answer about the token, not a crash.

export const VERIFIES = 'verifies';
export const DOES_NOT_VERIFY = 'does not verify';

export function signatureVerdict(check: () => boolean): string {
  try {
    return check() ? VERIFIES : DOES_NOT_VERIFY;
  } catch (error) {
    return `cannot be checked: ${(error as Error).message}`;
  }
}
