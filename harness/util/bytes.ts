// Small byte helpers shared by the host-side protocol layers.

/** Throw a RangeError naming what was being parsed when a buffer is shorter (or not exactly) as expected. */
export function ensureLength(bytes: Uint8Array, expected: number, what: string, mode: 'exactly' | 'at least' = 'exactly'): void {
  const ok = mode === 'exactly' ? bytes.length === expected : bytes.length >= expected;
  if (!ok) throw new RangeError(`${what}: expected ${mode} ${expected} bytes, got ${bytes.length}`);
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}
