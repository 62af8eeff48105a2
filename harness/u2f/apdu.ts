// Host side of FIDO U2F Raw Message Formats v1.2 §3 (APDU framing): build extended-length
// command APDUs and split response APDUs into data and status word.
import { ensureLength } from '../util/bytes.ts';

export interface CommandApdu {
  ins: number;
  p1?: number;
  p2?: number;
  data?: Uint8Array;
  /** Class byte; only 0x00 is valid U2F, other values exist to test the token's rejection. */
  cla?: number;
}

/** Extended form `CLA INS P1 P2 00 Lc_hi Lc_lo data Le_hi Le_lo` (Le 0 = up to 65536 bytes). */
export function encodeApdu({ ins, p1 = 0, p2 = 0, data = new Uint8Array(0), cla = 0 }: CommandApdu): Uint8Array {
  if (data.length > 0xffff) throw new RangeError(`APDU data too long: at most 65535 bytes, got ${data.length}`);
  const apdu = new Uint8Array(7 + data.length + 2);
  apdu.set([cla, ins, p1, p2, 0, data.length >> 8, data.length & 0xff]);
  apdu.set(data, 7);
  return apdu;
}

export interface ResponseApdu {
  data: Uint8Array;
  sw: number;
}

export function splitResponse(response: Uint8Array): ResponseApdu {
  ensureLength(response, 2, 'response APDU', 'at least');
  const end = response.length - 2;
  return { data: response.subarray(0, end), sw: (response[end] << 8) | response[end + 1] };
}
