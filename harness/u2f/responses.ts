// Parsers for U2F REGISTER and AUTHENTICATE responses (FIDO U2F Raw Message Formats v1.2
// §4.3 and §5.4), with a length check before every slice.
import { ensureLength } from '../util/bytes.ts';

export interface RegisterResponse {
  /** Uncompressed P-256 point, 65 bytes starting 0x04. */
  userPublicKey: Uint8Array;
  keyHandle: Uint8Array;
  /** DER X.509 attestation certificate. */
  attestationCertificate: Uint8Array;
  /** DER ECDSA signature by the attestation key. */
  signature: Uint8Array;
  /** The whole response data, as the token sent it (without the status word). */
  raw: Uint8Array;
}

export interface AuthenticateResponse {
  userPresence: boolean;
  /** The raw user-presence byte (bit 0 = user present). */
  flags: number;
  counter: number;
  signature: Uint8Array;
  raw: Uint8Array;
}

/** Length of the DER element (tag, length, contents) at the start of `bytes`. */
export function derElementLength(bytes: Uint8Array, what: string): number {
  ensureLength(bytes, 2, `${what} DER header`, 'at least');
  const first = bytes[1];
  if (first < 0x80) return 2 + first;
  const lengthBytes = first & 0x7f;
  if (lengthBytes === 0 || lengthBytes > 3) throw new RangeError(`${what}: unsupported DER length form 0x${first.toString(16)}`);
  ensureLength(bytes, 2 + lengthBytes, `${what} DER header`, 'at least');
  let length = 0;
  for (let i = 0; i < lengthBytes; i++) length = (length << 8) | bytes[2 + i];
  return 2 + lengthBytes + length;
}

export function parseRegisterResponse(raw: Uint8Array): RegisterResponse {
  ensureLength(raw, 1 + 65 + 1, 'register response', 'at least');
  if (raw[0] !== 0x05) throw new RangeError(`register response: reserved byte must be 0x05, got 0x${raw[0].toString(16)}`);
  const userPublicKey = raw.subarray(1, 66);
  const handleLength = raw[66];
  const certStart = 67 + handleLength;
  ensureLength(raw, certStart, 'register response key handle', 'at least');
  const keyHandle = raw.subarray(67, certStart);
  const certLength = derElementLength(raw.subarray(certStart), 'attestation certificate');
  ensureLength(raw, certStart + certLength + 1, 'register response certificate and signature', 'at least');
  return {
    userPublicKey,
    keyHandle,
    attestationCertificate: raw.subarray(certStart, certStart + certLength),
    signature: raw.subarray(certStart + certLength),
    raw,
  };
}

export function parseAuthenticateResponse(raw: Uint8Array): AuthenticateResponse {
  ensureLength(raw, 1 + 4 + 1, 'authenticate response', 'at least');
  const flags = raw[0];
  return {
    userPresence: (flags & 0x01) === 1,
    flags,
    counter: new DataView(raw.buffer, raw.byteOffset + 1, 4).getUint32(0),
    signature: raw.subarray(5),
    raw,
  };
}
