// Host-side CTAPHID failures (CTAP 2.1 section 11.2.9.1.6 CTAPHID_ERROR, 11.2.5 timeouts).
// A device's ERROR frame is a CtaphidProtocolError with the spec's code; everything the client
// itself detects (no answer, a cancelled call, a malformed answer) is a CtaphidClientError.
import { commandName, errorName, formatCid } from '../../emulator/ctaphid/constants.ts';

/** Where a failure happened: the request's command and channel. */
export interface CtaphidRequest {
  command: number;
  cid: number;
}

export class CtaphidProtocolError extends Error {
  override readonly name = 'CtaphidProtocolError';
  /** The ERROR frame's code, compare with CtaphidError.* */
  readonly code: number;
  /** The spec's name of the code, e.g. `ERR_CHANNEL_BUSY`. */
  readonly codeName: string;
  readonly request: CtaphidRequest;

  constructor(code: number, request: CtaphidRequest) {
    const codeName = errorName(code);
    super(`${commandName(request.command)} on channel ${formatCid(request.cid)}: device answered ${codeName}`);
    this.code = code;
    this.codeName = codeName;
    this.request = request;
  }
}

export type CtaphidClientErrorReason = 'timeout' | 'cancelled' | 'malformed-response';

export class CtaphidClientError extends Error {
  override readonly name = 'CtaphidClientError';
  readonly reason: CtaphidClientErrorReason;
  readonly request: CtaphidRequest;

  constructor(reason: CtaphidClientErrorReason, request: CtaphidRequest, detail: string) {
    super(`${commandName(request.command)} on channel ${formatCid(request.cid)}: ${detail}`);
    this.reason = reason;
    this.request = request;
  }
}
