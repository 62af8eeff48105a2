// base64url without padding (RFC 4648 §5), the encoding WebAuthn's JSON forms use for every
// binary member (W3C WebAuthn Level 3 §5.1.8 / §5.1.10 toJSON and parse*FromJSON).

const BASE64URL = /^[A-Za-z0-9_-]*={0,2}$/;

export function toBase64url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
}

/** Strict decode: Buffer's own decoder silently skips bad characters, a browser rejects them. */
export function fromBase64url(text: string, what: string): Uint8Array<ArrayBuffer> {
  const unpadded = text.replace(/=+$/, '');
  if (!BASE64URL.test(text) || unpadded.length % 4 === 1) {
    throw new TypeError(`${what}: not base64url: ${JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}...` : text)}`);
  }
  return new Uint8Array(Buffer.from(unpadded, 'base64url'));
}
