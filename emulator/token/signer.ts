// FIDO U2F Raw Message Formats v1.2: every U2F signature is ECDSA on P-256 over SHA-256 of the
// signed data, DER-encoded (X9.62). Two interchangeable implementations:
//   noble  @noble/curves with RFC 6979 deterministic nonces: same key and data, same bytes
//   node   node:crypto (OpenSSL) with random nonces: several times faster, not reproducible
import { createECDH, createPrivateKey, sign, type KeyObject } from 'node:crypto';
import { p256 } from '@noble/curves/nist.js';

export type SignerKind = 'noble' | 'node';
export const SIGNER_KINDS: readonly SignerKind[] = ['noble', 'node'];

export interface Signer {
  readonly kind: SignerKind;
  /** DER ECDSA signature over SHA-256(message). */
  sign(message: Uint8Array, privateKey: Uint8Array): Uint8Array;
  /** Uncompressed public point 04 || x || y (65 bytes). */
  publicKey(privateKey: Uint8Array): Uint8Array;
}

export class NobleSigner implements Signer {
  readonly kind = 'noble';

  sign(message: Uint8Array, privateKey: Uint8Array): Uint8Array {
    // prehash (the default) makes noble hash the message with SHA-256 itself.
    return p256.sign(message, privateKey, { format: 'der' });
  }

  publicKey(privateKey: Uint8Array): Uint8Array {
    return p256.getPublicKey(privateKey, false);
  }
}

export interface NodeSignerOptions {
  /** KeyObjects kept for recently used private keys (building one costs more than a signature). */
  cacheSize?: number;
}

export class NodeSigner implements Signer {
  readonly kind = 'node';
  readonly #cacheSize: number;
  readonly #keys = new Map<string, KeyObject>();

  constructor({ cacheSize = 1024 }: NodeSignerOptions = {}) {
    this.#cacheSize = cacheSize;
  }

  sign(message: Uint8Array, privateKey: Uint8Array): Uint8Array {
    return new Uint8Array(sign('sha256', message, { key: this.#keyObject(privateKey), dsaEncoding: 'der' }));
  }

  publicKey(privateKey: Uint8Array): Uint8Array {
    const ecdh = createECDH('prime256v1');
    ecdh.setPrivateKey(privateKey);
    return new Uint8Array(ecdh.getPublicKey());
  }

  #keyObject(privateKey: Uint8Array): KeyObject {
    const id = Buffer.from(privateKey).toString('base64url');
    let key = this.#keys.get(id);
    if (key) return key;
    const point = this.publicKey(privateKey);
    key = createPrivateKey({
      format: 'jwk',
      key: {
        kty: 'EC',
        crv: 'P-256',
        d: id,
        x: Buffer.from(point.subarray(1, 33)).toString('base64url'),
        y: Buffer.from(point.subarray(33)).toString('base64url'),
      },
    });
    // Oldest-first eviction: Map iterates in insertion order.
    if (this.#keys.size >= this.#cacheSize) this.#keys.delete(this.#keys.keys().next().value!);
    this.#keys.set(id, key);
    return key;
  }
}

export function createSigner(kind: SignerKind): Signer {
  return kind === 'node' ? new NodeSigner() : new NobleSigner();
}
