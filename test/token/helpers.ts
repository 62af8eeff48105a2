// Shared test helpers for the token suites: APDU builders, a response parser written from the
// spec independently of the token's encoder, and node:crypto (OpenSSL) signature checks, so no
// signature the token makes is checked by the library that made it.
import { X509Certificate, createHash, createPublicKey, verify } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { U2fToken, loadProfile, type U2fTokenOptions } from '../../emulator/token/index.ts';

export const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
export const unhex = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'hex'));
export const sha256 = (data: string | Uint8Array): Uint8Array => new Uint8Array(createHash('sha256').update(data).digest());

/** Extended-length command APDU: CLA INS P1 P2 00 Lc_hi Lc_lo data 00 00. */
export function apdu(ins: number, p1: number, data: Uint8Array, { cla = 0, le = true } = {}): Uint8Array {
  const out = new Uint8Array(7 + data.length + (le ? 2 : 0));
  out.set([cla, ins, p1, 0, 0, data.length >> 8, data.length & 0xff]);
  out.set(data, 7);
  return out;
}

export function registerApdu(challenge: Uint8Array, application: Uint8Array): Uint8Array {
  return apdu(0x01, 0x03, Buffer.concat([challenge, application]));
}

export function authenticateApdu(p1: number, challenge: Uint8Array, application: Uint8Array, keyHandle: Uint8Array): Uint8Array {
  return apdu(0x02, p1, Buffer.concat([challenge, application, Uint8Array.of(keyHandle.length & 0xff), keyHandle]));
}

export function status(response: Uint8Array): number {
  return (response[response.length - 2]! << 8) | response[response.length - 1]!;
}

export interface ParsedRegistration {
  publicKey: Uint8Array;
  keyHandle: Uint8Array;
  certificate: Uint8Array;
  signature: Uint8Array;
}

/** Split a successful REGISTER response (data || 9000) by the spec's layout. */
export function parseRegistration(response: Uint8Array): ParsedRegistration {
  if (status(response) !== 0x9000) throw new Error(`REGISTER failed: ${status(response).toString(16)}`);
  const body = response.subarray(0, -2);
  if (body[0] !== 0x05) throw new Error('reserved byte is not 05');
  const publicKey = body.subarray(1, 66);
  const handleLength = body[66]!;
  const keyHandle = body.subarray(67, 67 + handleLength);
  const certStart = 67 + handleLength;
  // The certificate's outer SEQUENCE header carries its length (long form, 2 length bytes here).
  if (body[certStart] !== 0x30 || body[certStart + 1] !== 0x82) throw new Error('unexpected certificate header');
  const certLength = 4 + ((body[certStart + 2]! << 8) | body[certStart + 3]!);
  return {
    publicKey,
    keyHandle,
    certificate: body.subarray(certStart, certStart + certLength),
    signature: body.subarray(certStart + certLength),
  };
}

export interface ParsedAuthentication {
  userPresence: number;
  counter: number;
  signature: Uint8Array;
}

export function parseAuthentication(response: Uint8Array): ParsedAuthentication {
  if (status(response) !== 0x9000) throw new Error(`AUTHENTICATE failed: ${status(response).toString(16)}`);
  const body = response.subarray(0, -2);
  return {
    userPresence: body[0]!,
    counter: new DataView(body.buffer, body.byteOffset + 1, 4).getUint32(0),
    signature: body.subarray(5),
  };
}

/** OpenSSL check of a DER ECDSA P-256 / SHA-256 signature by an uncompressed 65-byte point. */
export function verifyWithPoint(publicKey: Uint8Array, data: Uint8Array, signature: Uint8Array): boolean {
  const key = createPublicKey({
    format: 'jwk',
    key: {
      kty: 'EC',
      crv: 'P-256',
      x: Buffer.from(publicKey.subarray(1, 33)).toString('base64url'),
      y: Buffer.from(publicKey.subarray(33, 65)).toString('base64url'),
    },
  });
  return verify('sha256', data, { key, dsaEncoding: 'der' }, signature);
}

export function verifyWithCertificate(certificate: Uint8Array, data: Uint8Array, signature: Uint8Array): boolean {
  return verify('sha256', data, { key: new X509Certificate(certificate).publicKey, dsaEncoding: 'der' }, signature);
}

export const registerSigned = (app: Uint8Array, challenge: Uint8Array, r: ParsedRegistration): Uint8Array =>
  Buffer.concat([Uint8Array.of(0), app, challenge, r.keyHandle, r.publicKey]);

export const authenticateSigned = (app: Uint8Array, challenge: Uint8Array, up: number, counter: number): Uint8Array => {
  const middle = Buffer.alloc(5);
  middle[0] = up;
  middle.writeUInt32BE(counter, 1);
  return Buffer.concat([app, middle, challenge]);
};

export async function tempDir(label = 'token'): Promise<string> {
  return mkdtemp(join(tmpdir(), `keyloop-test-${label}-`));
}

/** An in-memory token on the default profile, with a fixed device secret unless given one. */
export async function openToken(options: Partial<U2fTokenOptions> = {}): Promise<U2fToken> {
  const profile = options.profile ?? (await loadProfile());
  const deviceSecret = options.stateDir === undefined ? (options.deviceSecret ?? new Uint8Array(32).fill(7)) : undefined;
  return U2fToken.open({ ...options, profile, deviceSecret });
}

/** Register once and return the parsed response with its inputs. */
export async function register(token: U2fToken, app = sha256('https://example.com'), challenge = sha256('challenge')) {
  const response = await token.process(registerApdu(challenge, app));
  return { app, challenge, response, registration: parseRegistration(response) };
}

/** Resolves if `run` rejects with a TokenError of `code`; fails the test otherwise. */
export async function rejectsWithCode(run: () => Promise<unknown>, code: string): Promise<void> {
  try {
    await run();
  } catch (error) {
    if ((error as { code?: unknown }).code === code) return;
    throw new Error(`expected a TokenError ${code}, got ${String(error)}`);
  }
  throw new Error(`expected a TokenError ${code}, but it resolved`);
}
