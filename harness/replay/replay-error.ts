// The replay layer's one error class: what stops a replay before it starts. Differences between
// tokens are never errors; they are the result.

export type ReplayErrorCode =
  /** TRANSCRIPT names no run id, run directory or transcript file. */
  | 'not-found'
  /** The transcript's APDU entries do not pair up or lack their bytes. */
  | 'bad-transcript'
  /** Nothing selected carries APDUs. */
  | 'nothing-to-replay';

export class ReplayError extends Error {
  override readonly name = 'ReplayError';
  readonly code: ReplayErrorCode;
  constructor(code: ReplayErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
