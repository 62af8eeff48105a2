// The credential public key as COSE_Key (RFC 9052 §7, RFC 9053 §7.1.1 EC2), from a U2F user
// public key: CTAP 2.1 §10.2 "Using the CTAP1/U2F authenticator" step for authenticatorMakeCredential.
import { ensureLength } from '../util/bytes.ts';
import { encodeCbor, type CborMap } from './cbor.ts';

/** COSE_Key labels and values this client writes (IANA COSE registries). */
export const CoseKey = {
  label: { kty: 1, alg: 3, crv: -1, x: -2, y: -3 },
  kty: { EC2: 2 },
  alg: { ES256: -7 },
  crv: { P256: 1 },
} as const;

/** `{1: 2, 3: -7, -1: 1, -2: x, -3: y}` from the 65-byte uncompressed point `04 || x || y`. */
export function coseKeyFromU2fPublicKey(point: Uint8Array): Uint8Array {
  ensureLength(point, 65, 'U2F user public key');
  if (point[0] !== 0x04) throw new RangeError(`U2F user public key: expected uncompressed point 0x04, got 0x${point[0].toString(16)}`);
  const { label } = CoseKey;
  // Canonical key order: 1, 3, -1, -2, -3 (encoded 01, 03, 20, 21, 22).
  const key: CborMap = new Map<number, number | Uint8Array>([
    [label.kty, CoseKey.kty.EC2],
    [label.alg, CoseKey.alg.ES256],
    [label.crv, CoseKey.crv.P256],
    [label.x, point.slice(1, 33)],
    [label.y, point.slice(33, 65)],
  ]);
  return encodeCbor(key);
}
