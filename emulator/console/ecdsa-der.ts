// ES256 signatures in WebAuthn are the ASN.1 DER encoding of an Ecdsa-Sig-Value (W3C WebAuthn
// Level 3 §6.5.5; RFC 3279 §2.2.3: SEQUENCE { r INTEGER, s INTEGER }), assertions and fido-u2f and
// packed attestation alike. DER allows one encoding per value; a lenient parser also takes BER's
// long-form lengths, padded integers or bytes after the sequence, which no authenticator writes.

/** Whether `signature` is a DER Ecdsa-Sig-Value: short lengths, positive minimal r and s, nothing after. */
export function isDerEcdsaSignature(signature: Uint8Array): boolean {
  if (signature.length < 8 || signature[0] !== 0x30 || signature[1] !== signature.length - 2) return false;
  let at = 2;
  for (let integer = 0; integer < 2; integer++) {
    const length = signature[at + 1];
    if (signature[at] !== 0x02 || length < 1 || length > 33 || at + 2 + length > signature.length) return false;
    const first = signature[at + 2];
    // Negative, or a leading zero byte the next byte does not need.
    if (first & 0x80 || (first === 0 && (length === 1 || !(signature[at + 3] & 0x80)))) return false;
    at += 2 + length;
  }
  return at === signature.length;
}
