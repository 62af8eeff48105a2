// Looking for a secret in captured output, whatever way it was written down: hex (either case,
// with or without separators), base64 and base64url at any byte alignment inside a longer blob
// (so a DER or JSON wrapper does not hide it), a list of decimal bytes (a JSON array, a
// Uint8Array's toString), or the raw bytes of a binary file; and any 8 bytes of it in a row in
// hex or raw, for a secret cut in pieces (HID reports carry at most 57 bytes of a message each).

export interface Secret {
  name: string;
  bytes: Uint8Array;
}

/** Bytes of the secret that must not appear in a row, in any piece. */
const WINDOW = 8;

/**
 * The part of base64(prefix || bytes) that depends on `bytes` only, for every prefix length mod 3,
 * without the last characters that would mix with whatever follows.
 */
function base64Cores(bytes: Uint8Array): string[] {
  const cores: string[] = [];
  for (const pad of [0, 1, 2]) {
    const encoded = Buffer.concat([Buffer.alloc(pad), bytes]).toString('base64').replace(/=+$/, '');
    const start = Math.ceil((pad * 8) / 6);
    const end = Math.floor(((pad + bytes.length) * 8) / 6);
    cores.push(encoded.slice(start, end));
  }
  return cores.flatMap((core) => [core, core.replace(/\+/g, '-').replace(/\//g, '_')]);
}

/** Where `secret` shows in `content` (a file or a response body), as a list of the encodings found. */
export function findSecret(secret: Secret, content: Buffer | string): string[] {
  const found: string[] = [];
  const bytes = Buffer.from(secret.bytes);
  const raw = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  const text = raw.toString('latin1');
  const compact = text.replace(/\s+/g, '');
  const hexText = compact.toLowerCase().replace(/[:-]/g, '');
  const hex = bytes.toString('hex');
  for (let i = 0; i + WINDOW <= bytes.length; i++) {
    const window = bytes.subarray(i, i + WINDOW);
    if (raw.includes(window)) found.push(`raw bytes ${i}..${i + WINDOW}`);
    if (hexText.includes(window.toString('hex'))) found.push(`hex bytes ${i}..${i + WINDOW}`);
  }
  if (hexText.includes(hex)) found.push('hex');
  for (const core of base64Cores(bytes)) if (compact.includes(core)) found.push(`base64 ${core}`);
  if (compact.includes([...bytes].join(','))) found.push('decimal bytes');
  return found;
}
