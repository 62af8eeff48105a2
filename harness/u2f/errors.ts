// Errors of the host-side U2F layer: a status word that is not 9000, or a touch that never came.
import { statusWordName } from '../../emulator/token/index.ts';

export class ApduError extends Error {
  override readonly name = 'ApduError';
  /** The status word, e.g. 0x6a80. */
  readonly sw: number;
  constructor(sw: number, operation: string) {
    super(`${operation}: status word ${formatStatusWord(sw)}`);
    this.sw = sw;
  }
}

export class PresenceTimeoutError extends Error {
  override readonly name = 'PresenceTimeoutError';
  constructor(operation: string, timeoutMs: number) {
    super(`${operation}: no user presence (touch) within ${timeoutMs} ms; the token kept answering 6985 CONDITIONS_NOT_SATISFIED`);
  }
}

/** `6A80 WRONG_DATA`: the hex the spec uses and the name the code uses. */
export function formatStatusWord(sw: number): string {
  return `${sw.toString(16).toUpperCase().padStart(4, '0')} ${statusWordName(sw)}`;
}
