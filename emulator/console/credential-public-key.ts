// The credential public key a registration carries (COSE_Key, RFC 9052 §7) must be one the
// console can verify assertions with later: ES256 as an EC2 key on P-256 (RFC 9053 §7.1.1, a
// point on the curve), RS256 as an RSA key (RFC 8230 §4). A key with "none" attestation is signed
// by nobody, so nothing else vouches for it; one that fails here would lock its user out.
import { createPublicKey, type JsonWebKey } from 'node:crypto';
import { decodeCredentialPublicKey } from '@simplewebauthn/server/helpers';

const LABEL = { kty: 1, alg: 3, crv: -1, x: -2, y: -3, n: -1, e: -2 } as const;
const ES256 = -7;
const RS256 = -257;

const bytes = (value: unknown): value is Uint8Array => value instanceof Uint8Array;
const b64u = (value: Uint8Array): string => Buffer.from(value).toString('base64url');

function jwkOf(key: Map<number, unknown>): JsonWebKey | undefined {
  const alg = key.get(LABEL.alg);
  if (alg === ES256) {
    const x = key.get(LABEL.x);
    const y = key.get(LABEL.y);
    if (key.get(LABEL.kty) !== 2 || key.get(LABEL.crv) !== 1 || !bytes(x) || !bytes(y) || x.length !== 32 || y.length !== 32) return undefined;
    return { kty: 'EC', crv: 'P-256', x: b64u(x), y: b64u(y) };
  }
  if (alg === RS256) {
    const n = key.get(LABEL.n);
    const e = key.get(LABEL.e);
    if (key.get(LABEL.kty) !== 3 || !bytes(n) || !bytes(e)) return undefined;
    return { kty: 'RSA', n: b64u(n), e: b64u(e) };
  }
  return undefined;
}

/** Whether `cose` is an ES256 or RS256 public key that node:crypto takes (an EC point must lie on the curve). */
export function isUsablePublicKey(cose: Uint8Array): boolean {
  try {
    const jwk = jwkOf(decodeCredentialPublicKey(Uint8Array.from(cose)) as unknown as Map<number, unknown>);
    return jwk !== undefined && createPublicKey({ key: jwk, format: 'jwk' }).type === 'public';
  } catch {
    return false;
  }
}
