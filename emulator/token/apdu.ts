// FIDO U2F Raw Message Formats v1.2, "Request Message Framing" and "Response Message Framing":
// ISO 7816-4 command APDUs in the extended-length encoding U2F over HID uses, plus the short
// encoding some clients send. Le is accepted and ignored: a U2F token always answers in full.
import { TokenError } from './token-error.ts';
import { assertMinLength } from './assert-bytes.ts';

export interface CommandApdu {
  cla: number;
  ins: number;
  p1: number;
  p2: number;
  /** Request data (Lc bytes); empty when the APDU carries none. */
  data: Uint8Array;
}

const HEADER = 4;

/**
 * Split a command APDU into header and data. Accepted layouts (H = CLA INS P1 P2):
 *   H                              no data, no Le
 *   H Le                           short, no data
 *   H Lc data [Le]                 short, Lc 1..255
 *   H 00 Le_hi Le_lo               extended, no data
 *   H 00 Lc_hi Lc_lo data [Le_hi Le_lo]   extended; Lc 0 with a 2-byte Le is what
 *                                  python-fido2 sends for a data-less VERSION
 * Anything else is WRONG_LENGTH. The CLA/INS checks belong to the caller.
 */
export function parseApdu(apdu: Uint8Array): CommandApdu {
  assertMinLength(apdu, HEADER, 'APDU header');
  const [cla, ins, p1, p2] = apdu;
  const header = { cla: cla!, ins: ins!, p1: p1!, p2: p2! };
  const body = apdu.length - HEADER;
  if (body <= 1) return { ...header, data: apdu.subarray(HEADER, HEADER) };

  const b0 = apdu[HEADER]!;
  if (b0 !== 0) {
    // Short form: Lc is b0, optionally followed by a 1-byte Le.
    if (body === 1 + b0 || body === 2 + b0) return { ...header, data: apdu.subarray(HEADER + 1, HEADER + 1 + b0) };
    throw wrongLength(apdu, `short Lc ${b0}`);
  }
  // Extended form: 00 then a 2-byte Lc (or, with nothing after it, a 2-byte Le).
  assertMinLength(apdu, HEADER + 3, 'extended APDU length field');
  const lc = (apdu[HEADER + 1]! << 8) | apdu[HEADER + 2]!;
  const rest = body - 3;
  if (body === 3) return { ...header, data: apdu.subarray(HEADER, HEADER) };
  if (rest === lc || rest === lc + 2) return { ...header, data: apdu.subarray(HEADER + 3, HEADER + 3 + lc) };
  throw wrongLength(apdu, `extended Lc ${lc}`);
}

/** A response APDU: data followed by SW1 SW2. */
export function encodeResponse(data: Uint8Array, sw: number): Uint8Array {
  const out = new Uint8Array(data.length + 2);
  out.set(data);
  out[data.length] = sw >> 8;
  out[data.length + 1] = sw & 0xff;
  return out;
}

/** The status word at the end of a response APDU (for callers and tests). */
export function responseStatus(response: Uint8Array): number {
  assertMinLength(response, 2, 'response APDU', 'WRONG_DATA');
  return (response[response.length - 2]! << 8) | response[response.length - 1]!;
}

function wrongLength(apdu: Uint8Array, layout: string): TokenError {
  return new TokenError('WRONG_LENGTH', `APDU of ${apdu.length} bytes does not fit ${layout}`);
}
