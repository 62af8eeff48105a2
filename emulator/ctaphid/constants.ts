// CTAPHID constants: CTAP 2.1 section 11.2 (FIDO U2F HID Protocol v1.1), named as the spec names them.
import { codeNames } from '../util/code-names.ts';

/** Size of a FIDO HID report on the wire (no report-id byte). */
export const HID_REPORT_SIZE = 64;
/** Payload bytes in an initialization packet: report minus CID (4), CMD (1), BCNT (2). */
export const INIT_DATA_SIZE = HID_REPORT_SIZE - 7;
/** Payload bytes in a continuation packet: report minus CID (4), SEQ (1). */
export const CONT_DATA_SIZE = HID_REPORT_SIZE - 5;
/** Highest continuation sequence number (SEQ has bit 7 clear). */
export const MAX_SEQ = 0x7f;
/** Largest message: one init packet plus 128 continuation packets = 7609 bytes. */
export const MAX_MESSAGE_SIZE = INIT_DATA_SIZE + (MAX_SEQ + 1) * CONT_DATA_SIZE;
/** CID every host uses for CTAPHID_INIT before it owns a channel. */
export const BROADCAST_CID = 0xffffffff;
/** Bit 7 of the fifth byte marks an initialization packet. */
export const TYPE_INIT = 0x80;
/** CTAPHID protocol version reported by CTAPHID_INIT. */
export const CTAPHID_PROTOCOL_VERSION = 2;
/** Nonce length of a CTAPHID_INIT request. */
export const INIT_NONCE_SIZE = 8;
/** Length of a CTAPHID_INIT response: nonce, CID, version, major, minor, build, capabilities. */
export const INIT_RESPONSE_SIZE = INIT_NONCE_SIZE + 4 + 5;
/** Longest lock a CTAPHID_LOCK may request, in seconds. */
export const MAX_LOCK_SECONDS = 10;

export const CtaphidCommand = {
  PING: 0x01,
  MSG: 0x03,
  LOCK: 0x04,
  INIT: 0x06,
  WINK: 0x08,
  CBOR: 0x10,
  CANCEL: 0x11,
  KEEPALIVE: 0x3b,
  ERROR: 0x3f,
} as const;
export type CtaphidCommandName = keyof typeof CtaphidCommand;
export type CtaphidCommandCode = (typeof CtaphidCommand)[CtaphidCommandName];

/** Codes carried by a CTAPHID_ERROR frame (the spec's ERR_* names without the prefix). */
export const CtaphidError = {
  INVALID_CMD: 0x01,
  INVALID_PAR: 0x02,
  INVALID_LEN: 0x03,
  INVALID_SEQ: 0x04,
  MSG_TIMEOUT: 0x05,
  CHANNEL_BUSY: 0x06,
  LOCK_REQUIRED: 0x0a,
  INVALID_CHANNEL: 0x0b,
  OTHER: 0x7f,
} as const;
export type CtaphidErrorName = keyof typeof CtaphidError;
export type CtaphidErrorCode = (typeof CtaphidError)[CtaphidErrorName];

/** Status byte of a CTAPHID_KEEPALIVE frame. */
export const KeepaliveStatus = {
  PROCESSING: 0x01,
  UPNEEDED: 0x02,
} as const;
export type KeepaliveStatusName = keyof typeof KeepaliveStatus;

/** Capability flags in the CTAPHID_INIT response. */
export const Capability = {
  WINK: 0x01,
  CBOR: 0x04,
  NMSG: 0x08,
} as const;

function hexByte(code: number): string {
  return `0x${code.toString(16).padStart(2, '0')}`;
}

/** `PING`, `MSG`, ... or the hex code of an unknown command. */
export const commandName = codeNames(CtaphidCommand, hexByte);

/** `ERR_CHANNEL_BUSY`, ... (the spec's name) or the hex code of an unknown error. */
export const errorName = codeNames(
  Object.fromEntries(Object.entries(CtaphidError).map(([name, code]) => [`ERR_${name}`, code])),
  hexByte,
);

/** `PROCESSING`, `UPNEEDED` or the hex code of an unknown status. */
export const keepaliveStatusName = codeNames(KeepaliveStatus, hexByte);

/** A CID as the spec prints it: 8 hex digits. */
export function formatCid(cid: number): string {
  return `0x${cid.toString(16).padStart(8, '0')}`;
}

