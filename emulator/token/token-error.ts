// The token layer's one error class. Codes named after status words are protocol outcomes:
// U2fToken.process() turns them into that status word and never lets them escape. The others
// are configuration and state problems thrown by loadProfile() and U2fToken.open().
import { StatusWord } from './status-words.ts';

export type TokenErrorCode =
  | 'WRONG_LENGTH'
  | 'WRONG_DATA'
  | 'CONDITIONS_NOT_SATISFIED'
  | 'INS_NOT_SUPPORTED'
  | 'CLA_NOT_SUPPORTED'
  /** The profile file or object is unreadable or has an invalid field. */
  | 'INVALID_PROFILE'
  /** The attestation certificate or key is unreadable, not P-256, or the two do not match. */
  | 'INVALID_ATTESTATION'
  /** A file in the state directory is corrupt. */
  | 'INVALID_STATE'
  /** Another live token holds the state directory. */
  | 'STATE_LOCKED'
  /** The 32-bit signature counter has no values left. */
  | 'COUNTER_EXHAUSTED'
  /** The token was used after close(). */
  | 'CLOSED';

export class TokenError extends Error {
  readonly code: TokenErrorCode;

  constructor(code: TokenErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'TokenError';
    this.code = code;
  }
}

/** The status word that answers a failed request: its own for protocol codes, else 6F00. */
export function statusWordFor(error: unknown): number {
  if (error instanceof TokenError && error.code in StatusWord) {
    return StatusWord[error.code as keyof typeof StatusWord];
  }
  return StatusWord.NO_PRECISE_DIAGNOSIS;
}
