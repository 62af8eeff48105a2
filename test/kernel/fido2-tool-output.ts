// What libfido2's tools print (fido2-cred(1), fido2-assert(1) of libfido2 1.12), read back on the
// host so the test can check the bytes itself: one base64 or text item per line; authenticator
// data comes CBOR-wrapped as a byte string. Layouts: WebAuthn Level 2 section 6.1 (authenticator
// data) and 8.6 (fido-u2f: flags 0x41, zero AAGUID, COSE EC2 key).

export interface MadeCredential {
  readonly clientDataHash: Buffer;
  readonly rpId: string;
  readonly fmt: string;
  readonly authData: AuthenticatorData;
  readonly credentialId: Buffer;
  readonly signature: Buffer;
  /** The attestation certificate (DER). */
  readonly x5c: Buffer;
}

export interface Assertion {
  readonly clientDataHash: Buffer;
  readonly rpId: string;
  /** The raw authenticator data, as signed. */
  readonly authDataBytes: Buffer;
  readonly authData: AuthenticatorData;
  readonly signature: Buffer;
}

export interface AuthenticatorData {
  readonly rpIdHash: Buffer;
  readonly flags: number;
  readonly counter: number;
  /** Present when the AT flag (0x40) is set. */
  readonly aaguid?: Buffer;
  readonly credentialId?: Buffer;
}

/** `fido2-cred -M` output: cdh, rp id, fmt, authdata, credential id, signature, x5c. */
export function parseMadeCredential(stdout: string): MadeCredential {
  const [cdh, rpId, fmt, authData, credentialId, signature, x5c] = lines(stdout, 7, 'fido2-cred -M');
  return {
    clientDataHash: b64(cdh),
    rpId,
    fmt,
    authData: parseAuthenticatorData(unwrapCborBytes(b64(authData))),
    credentialId: b64(credentialId),
    signature: b64(signature),
    x5c: b64(x5c),
  };
}

/** `fido2-assert -G` output: cdh, rp id, authdata, signature. */
export function parseAssertion(stdout: string): Assertion {
  const [cdh, rpId, authData, signature] = lines(stdout, 4, 'fido2-assert -G');
  const authDataBytes = unwrapCborBytes(b64(authData));
  return { clientDataHash: b64(cdh), rpId, authDataBytes, authData: parseAuthenticatorData(authDataBytes), signature: b64(signature) };
}

/** `fido2-cred -V` output: credential id, then the public key as PEM. */
export function parseVerifiedCredential(stdout: string): { credentialId: Buffer; publicKeyPem: string } {
  const [credentialId, ...pem] = lines(stdout, 2, 'fido2-cred -V');
  return { credentialId: b64(credentialId), publicKeyPem: `${pem.join('\n')}\n` };
}

export function parseAuthenticatorData(bytes: Buffer): AuthenticatorData {
  need(bytes.length >= 37, `authenticator data: expected at least 37 bytes, got ${bytes.length}`);
  const base = { rpIdHash: bytes.subarray(0, 32), flags: bytes[32], counter: bytes.readUInt32BE(33) };
  if (!(base.flags & 0x40)) return base;
  need(bytes.length >= 55, `attested credential data: expected at least 55 bytes, got ${bytes.length}`);
  const length = bytes.readUInt16BE(53);
  need(bytes.length >= 55 + length, `credential id: expected ${length} bytes, got ${bytes.length - 55}`);
  return { ...base, aaguid: bytes.subarray(37, 53), credentialId: bytes.subarray(55, 55 + length) };
}

/** A CBOR byte string (major type 2) of up to 65535 bytes, as libfido2 prints authdata. */
function unwrapCborBytes(bytes: Buffer): Buffer {
  need(bytes.length >= 1 && bytes[0] >> 5 === 2, `expected a CBOR byte string, got first byte ${bytes[0]}`);
  const info = bytes[0] & 0x1f;
  const [start, length] =
    info < 24 ? [1, info] : info === 24 ? [2, bytes[1]] : info === 25 ? [3, bytes.readUInt16BE(1)] : [NaN, NaN];
  need(!Number.isNaN(start) && bytes.length === start + length, `CBOR byte string: header ${info}, ${bytes.length} bytes in all`);
  return bytes.subarray(start);
}

function lines(stdout: string, count: number, tool: string): string[] {
  const all = stdout.split('\n').filter((line) => line !== '');
  need(all.length >= count, `${tool}: expected at least ${count} lines, got ${all.length}:\n${stdout}`);
  return all;
}

function b64(text: string): Buffer {
  return Buffer.from(text, 'base64');
}

function need(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Error(message);
}
