// Authenticator data (W3C WebAuthn Level 2 §6.1) and attested credential data (§6.5.1), built by
// the client from U2F responses as CTAP 2.1 §10.2 and §10.3 describe for CTAP1 authenticators.
import { ensureLength } from '../util/bytes.ts';

/** Flag bits of authenticator data, §6.1. */
export const AuthenticatorDataFlag = {
  UP: 0x01,
  UV: 0x04,
  AT: 0x40,
  ED: 0x80,
} as const;

export interface AuthenticatorDataFields {
  /** SHA-256 of the RP ID: the U2F application parameter. */
  rpIdHash: Uint8Array;
  flags: number;
  /** Signature counter, 0 for a U2F registration (REGISTER returns none). */
  counter: number;
  /** Present (with the AT flag) on registration only. */
  attestedCredentialData?: Uint8Array;
}

/** `rpIdHash (32) || flags (1) || signCount (4, big-endian) || attestedCredentialData`. */
export function encodeAuthenticatorData({ rpIdHash, flags, counter, attestedCredentialData }: AuthenticatorDataFields): Uint8Array {
  ensureLength(rpIdHash, 32, 'rpIdHash');
  if (!Number.isInteger(flags) || flags < 0 || flags > 0xff) throw new RangeError(`flags: expected one byte, got ${flags}`);
  if (!Number.isInteger(counter) || counter < 0 || counter > 0xffffffff) throw new RangeError(`signCount: expected uint32, got ${counter}`);
  const tail = attestedCredentialData ?? new Uint8Array(0);
  const out = new Uint8Array(37 + tail.length);
  out.set(rpIdHash, 0);
  out[32] = flags;
  new DataView(out.buffer).setUint32(33, counter);
  out.set(tail, 37);
  return out;
}

export interface AttestedCredentialDataFields {
  /** 16 bytes; all zero for U2F authenticators, which have no AAGUID. */
  aaguid?: Uint8Array;
  /** The U2F key handle. */
  credentialId: Uint8Array;
  /** COSE_Key, CBOR-encoded. */
  credentialPublicKey: Uint8Array;
}

/** `aaguid (16) || credentialIdLength (2) || credentialId || credentialPublicKey`. */
export function encodeAttestedCredentialData({ aaguid = new Uint8Array(16), credentialId, credentialPublicKey }: AttestedCredentialDataFields): Uint8Array {
  ensureLength(aaguid, 16, 'AAGUID');
  if (credentialId.length > 0xffff) throw new RangeError(`credential id: at most 65535 bytes, got ${credentialId.length}`);
  const out = new Uint8Array(18 + credentialId.length + credentialPublicKey.length);
  out.set(aaguid, 0);
  new DataView(out.buffer).setUint16(16, credentialId.length);
  out.set(credentialId, 18);
  out.set(credentialPublicKey, 18 + credentialId.length);
  return out;
}
