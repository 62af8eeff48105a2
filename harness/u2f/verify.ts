// Independent verification of U2F signatures with node:crypto (OpenSSL), never with the
// library that made them. Signed data per FIDO U2F Raw Message Formats v1.2 §4.3 and §5.4.
import { createPublicKey, verify, X509Certificate, type KeyObject } from 'node:crypto';
import { concatBytes } from '../util/bytes.ts';
import type { AuthenticateResponse, RegisterResponse } from './responses.ts';

// DER prefix of a SubjectPublicKeyInfo for an uncompressed P-256 point (id-ecPublicKey, prime256v1).
const P256_SPKI_PREFIX = Buffer.from('3059301306072a8648ce3d020106082a8648ce3d030107034200', 'hex');

export function p256PublicKey(point: Uint8Array): KeyObject {
  if (point.length !== 65 || point[0] !== 0x04) {
    throw new RangeError(`P-256 public key: expected 65 bytes starting 0x04, got ${point.length} bytes`);
  }
  return createPublicKey({ key: Buffer.concat([P256_SPKI_PREFIX, point]), format: 'der', type: 'spki' });
}

/** True when the attestation certificate's key signed `00 || app || challenge || key handle || user key`. */
export function verifyRegistration(response: RegisterResponse, challenge: Uint8Array, application: Uint8Array): boolean {
  const certificate = new X509Certificate(response.attestationCertificate);
  const signed = concatBytes(new Uint8Array([0]), application, challenge, response.keyHandle, response.userPublicKey);
  return verify('sha256', signed, certificate.publicKey, response.signature);
}

/** True when the credential key signed `app || user presence || counter || challenge`. */
export function verifyAuthentication(
  response: AuthenticateResponse,
  userPublicKey: Uint8Array,
  challenge: Uint8Array,
  application: Uint8Array,
): boolean {
  const signed = concatBytes(application, response.raw.subarray(0, 5), challenge);
  return verify('sha256', signed, p256PublicKey(userPublicKey), response.signature);
}
