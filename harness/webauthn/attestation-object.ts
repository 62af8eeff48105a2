// The attestation object (W3C WebAuthn Level 2 §6.5.4, CBOR `{fmt, attStmt, authData}`) with the
// FIDO U2F statement format (§8.6: `{sig, x5c: [cert]}`) or, when the RP did not ask for
// attestation, the "none" format (§8.7) a browser substitutes (§5.4.7, "none" conveyance).
import { encodeCbor, type CborValue } from './cbor.ts';

export type AttestationStatement =
  | { fmt: 'fido-u2f'; /** DER ECDSA signature from the U2F REGISTER response. */ signature: Uint8Array; /** DER attestation certificate. */ certificate: Uint8Array }
  | { fmt: 'none' };

export type AttestationObjectFields = AttestationStatement & {
  authData: Uint8Array;
};

export function encodeAttestationObject(fields: AttestationObjectFields): Uint8Array {
  // Canonical key order: "fmt" (3 bytes), "attStmt" (7), "authData" (8); "sig" before "x5c".
  const attStmt: { [key: string]: CborValue } =
    fields.fmt === 'fido-u2f' ? { sig: fields.signature, x5c: [fields.certificate] } : {};
  return encodeCbor({ fmt: fields.fmt, attStmt, authData: fields.authData });
}
