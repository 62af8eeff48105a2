// The USB/IP client's one error class; `code` says what went wrong, the message says where.

export type UsbipClientErrorCode =
  /** The server closed the connection or could not be reached. */
  | 'CONNECTION_CLOSED'
  /** OP_REP_IMPORT status 1: unknown bus id, or someone else imported it. */
  | 'IMPORT_REFUSED'
  /** The server sent something the protocol does not allow. */
  | 'PROTOCOL'
  /** An URB completed with a non-zero status (STALL is -32). */
  | 'URB_FAILED'
  /** No answer in time. */
  | 'TIMEOUT'
  /** The device has no FIDO HID interface (usage page 0xF1D0) with interrupt IN and OUT endpoints. */
  | 'NOT_FIDO';

export class UsbipClientError extends Error {
  override readonly name = 'UsbipClientError';
  constructor(
    readonly code: UsbipClientErrorCode,
    message: string,
  ) {
    super(message);
  }
}
