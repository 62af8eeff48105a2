// FIDO U2F Raw Message Formats v1.2, "Registration Response Message: Success" (key handle):
// the token keeps no per-credential storage. A key handle is the credential private key sealed
// with AES-256-GCM under a key derived from the device secret, with the application parameter
// as associated data, so a handle opens only on the device and for the application that made it.
//
// Everything is derived, nothing is random, so a device replays byte for byte:
//   credential key = HKDF(app || challenge, salt = credential subkey) reduced to [1, n-1]
//   nonce          = HMAC(nonce subkey, app || credential key)[0..12]   (synthetic IV: one
//                    nonce per plaintext, so a repeated nonce only ever repeats a handle)
//   handle         = nonce (12) || ciphertext (32) || tag (16)
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { p256 } from '@noble/curves/nist.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToNumberBE, numberToBytesBE } from '@noble/curves/utils.js';
import { concatBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { assertLength } from './assert-bytes.ts';

const NONCE = 12;
const KEY = 32;
const TAG = 16;
export const KEY_HANDLE_LENGTH = NONCE + KEY + TAG;
const ORDER = p256.Point.Fn.ORDER;

function subkey(secret: Uint8Array, purpose: string): Uint8Array {
  return hkdf(sha256, secret, undefined, utf8ToBytes(`keyloop u2f ${purpose} v1`), KEY);
}

export class KeyHandleCodec {
  readonly #wrapKey: Uint8Array;
  readonly #nonceKey: Uint8Array;
  readonly #credentialKey: Uint8Array;

  /** @param deviceSecret 32 bytes unique to the device */
  constructor(deviceSecret: Uint8Array) {
    assertLength(deviceSecret, 32, 'device secret', 'INVALID_STATE');
    this.#wrapKey = subkey(deviceSecret, 'key-handle wrap');
    this.#nonceKey = subkey(deviceSecret, 'key-handle nonce');
    this.#credentialKey = subkey(deviceSecret, 'credential');
  }

  /** The credential private key for a registration: deterministic in (device, app, challenge). */
  deriveCredentialKey(application: Uint8Array, challenge: Uint8Array): Uint8Array {
    // 48 bytes reduced mod n-1 leave a bias below 2^-128.
    const wide = hkdf(sha256, concatBytes(application, challenge), this.#credentialKey, utf8ToBytes('P-256 scalar'), 48);
    return numberToBytesBE((bytesToNumberBE(wide) % (ORDER - 1n)) + 1n, KEY);
  }

  wrap(privateKey: Uint8Array, application: Uint8Array): Uint8Array {
    assertLength(privateKey, KEY, 'credential private key', 'WRONG_DATA');
    const nonce = hmac(sha256, this.#nonceKey, concatBytes(application, privateKey)).subarray(0, NONCE);
    const cipher = createCipheriv('aes-256-gcm', this.#wrapKey, nonce);
    cipher.setAAD(application);
    const sealed = concatBytes(cipher.update(privateKey), cipher.final());
    return concatBytes(nonce, sealed, cipher.getAuthTag());
  }

  /** The private key sealed in `handle`, or undefined if it was not made by this device for `application`. */
  unwrap(handle: Uint8Array, application: Uint8Array): Uint8Array | undefined {
    if (handle.length !== KEY_HANDLE_LENGTH) return undefined;
    const decipher = createDecipheriv('aes-256-gcm', this.#wrapKey, handle.subarray(0, NONCE));
    decipher.setAAD(application);
    decipher.setAuthTag(handle.subarray(NONCE + KEY));
    const plain = decipher.update(handle.subarray(NONCE, NONCE + KEY));
    try {
      decipher.final(); // throws when the tag does not authenticate
    } catch {
      return undefined;
    }
    return new Uint8Array(plain);
  }
}
