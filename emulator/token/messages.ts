// FIDO U2F Raw Message Formats v1.2, "Registration Messages" and "Authentication Messages":
// request parsing, response encoding, and the byte strings each signature covers.
import { concatBytes } from '@noble/hashes/utils.js';
import { assertLength, assertMaxLength, assertMinLength } from './assert-bytes.ts';

/** Registration response's reserved first byte. */
const REGISTER_RESERVED = 0x05;
/** Byte prefixing the registration signature's input ("reserved for future use"). */
const REGISTER_SIGN_PREFIX = 0x00;
const PARAM = 32;
export const PUBLIC_KEY_LENGTH = 65;

export interface RegisterRequest {
  challenge: Uint8Array;
  application: Uint8Array;
}

export interface AuthenticateRequest {
  challenge: Uint8Array;
  application: Uint8Array;
  keyHandle: Uint8Array;
}

/** REGISTER data: challenge parameter (32) || application parameter (32). */
export function parseRegisterRequest(data: Uint8Array): RegisterRequest {
  assertLength(data, 2 * PARAM, 'REGISTER request');
  return { challenge: data.subarray(0, PARAM), application: data.subarray(PARAM, 2 * PARAM) };
}

/** AUTHENTICATE data: challenge (32) || application (32) || L (1) || key handle (L). */
export function parseAuthenticateRequest(data: Uint8Array): AuthenticateRequest {
  assertMinLength(data, 2 * PARAM + 1, 'AUTHENTICATE request');
  const handleLength = data[2 * PARAM]!;
  assertLength(data, 2 * PARAM + 1 + handleLength, `AUTHENTICATE request with key handle length ${handleLength}`);
  return {
    challenge: data.subarray(0, PARAM),
    application: data.subarray(PARAM, 2 * PARAM),
    keyHandle: data.subarray(2 * PARAM + 1),
  };
}

export interface RegisterResponse {
  /** Uncompressed P-256 point, 04 || x || y. */
  publicKey: Uint8Array;
  keyHandle: Uint8Array;
  /** X.509 DER; its own length field delimits it. */
  attestationCertificate: Uint8Array;
  /** DER ECDSA by the attestation key over registerSignedData(). */
  signature: Uint8Array;
}

/** 05 || public key (65) || L || key handle || attestation certificate || signature. */
export function encodeRegisterResponse(response: RegisterResponse): Uint8Array {
  const { publicKey, keyHandle, attestationCertificate, signature } = response;
  assertLength(publicKey, PUBLIC_KEY_LENGTH, 'user public key', 'WRONG_DATA');
  assertMaxLength(keyHandle, 255, 'key handle', 'WRONG_DATA');
  return concatBytes(
    Uint8Array.of(REGISTER_RESERVED),
    publicKey,
    Uint8Array.of(keyHandle.length),
    keyHandle,
    attestationCertificate,
    signature,
  );
}

/** 00 || application || challenge || key handle || public key. */
export function registerSignedData(request: RegisterRequest, keyHandle: Uint8Array, publicKey: Uint8Array): Uint8Array {
  return concatBytes(Uint8Array.of(REGISTER_SIGN_PREFIX), request.application, request.challenge, keyHandle, publicKey);
}

export interface AuthenticateResponse {
  /** User presence flag: 1 if the user touched the token for this request. */
  userPresence: 0 | 1;
  counter: number;
  /** DER ECDSA by the credential key over authenticateSignedData(). */
  signature: Uint8Array;
}

/** UP (1) || counter (4, big-endian) || signature. */
export function encodeAuthenticateResponse(response: AuthenticateResponse): Uint8Array {
  return concatBytes(authenticatorData(response.userPresence, response.counter), response.signature);
}

/** application (32) || UP (1) || counter (4) || challenge (32). */
export function authenticateSignedData(request: AuthenticateRequest, userPresence: 0 | 1, counter: number): Uint8Array {
  return concatBytes(request.application, authenticatorData(userPresence, counter), request.challenge);
}

function authenticatorData(userPresence: 0 | 1, counter: number): Uint8Array {
  const out = new Uint8Array(5);
  out[0] = userPresence;
  new DataView(out.buffer).setUint32(1, counter);
  return out;
}
