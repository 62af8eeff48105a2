// CollectedClientData and its limited-verification serialization (W3C WebAuthn Level 2 §5.8.1,
// §5.8.1.1): fixed key order type, challenge, origin, crossOrigin, strings escaped by CCDToString,
// so an RP may compare the bytes against a template, as browsers produce them.

export type ClientDataType = 'webauthn.create' | 'webauthn.get';

export interface CollectedClientData {
  type: ClientDataType;
  /** The RP's challenge, base64url without padding. */
  challenge: string;
  /** Serialized origin of the calling page. */
  origin: string;
  crossOrigin: boolean;
}

/** UTF-8 bytes of clientDataJSON: the exact bytes that are hashed and sent to the RP. */
export function serializeClientData({ type, challenge, origin, crossOrigin }: CollectedClientData): Uint8Array {
  const json = `{"type":${ccdToString(type)},"challenge":${ccdToString(challenge)},"origin":${ccdToString(origin)},"crossOrigin":${crossOrigin}}`;
  return new TextEncoder().encode(json);
}

/**
 * CCDToString: a JSON string whose escapes are fixed by the spec (only `"`, `\` and code points
 * below U+0020 are escaped, the latter always as \u with four lower-case hex digits), unlike
 * JSON.stringify, which writes \n, \t and friends.
 */
export function ccdToString(value: string): string {
  let out = '"';
  for (const char of value) {
    const code = char.codePointAt(0)!;
    if (char === '"') out += '\\"';
    else if (char === '\\') out += '\\\\';
    else if (code < 0x20) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += char;
  }
  return `${out}"`;
}
