// Byte-level mutations shared by the protocol generators: what a careless or hostile peer does to a
// valid message (bit flips, boundary bytes, truncation, extension, dropped and repeated slices), and
// the boundary values of length fields. Positions are taken modulo the message length, so one
// mutation applies to a message of any size and shrinks towards the start.
import fc from 'fast-check';

export type ByteMutation =
  | { readonly kind: 'flip'; readonly at: number; readonly bit: number }
  | { readonly kind: 'set'; readonly at: number; readonly value: number }
  | { readonly kind: 'truncate'; readonly at: number }
  | { readonly kind: 'extend'; readonly bytes: Uint8Array }
  | { readonly kind: 'delete'; readonly at: number; readonly count: number }
  | { readonly kind: 'repeat'; readonly at: number; readonly count: number };

/** Byte values at the edges of signed and unsigned ranges. */
export const boundaryByte = fc.constantFrom(0x00, 0x01, 0x7f, 0x80, 0xfe, 0xff);
/** 16-bit lengths at the edges (ISO 7816 Lc/Le, CTAPHID BCNT, USB wLength). */
export const boundaryU16 = fc.constantFrom(0, 1, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xfffe, 0xffff);
/** 32-bit fields at the edges, negative numbers read as u32 included. */
export const boundaryU32 = fc.constantFrom(0, 1, 0xffff, 0x10000, 0x10001, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff);

const position = fc.nat({ max: 0xffff });

export const byteMutation: fc.Arbitrary<ByteMutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: position, bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('set' as const), at: position, value: fc.oneof(boundaryByte, fc.nat({ max: 0xff })) }),
  fc.record({ kind: fc.constant('truncate' as const), at: position }),
  fc.record({ kind: fc.constant('extend' as const), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: position, count: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ kind: fc.constant('repeat' as const), at: position, count: fc.integer({ min: 1, max: 4 }) }),
);

/** Mostly none: most inputs should stay valid enough to reach deep states. */
export function byteMutations(maxLength = 3): fc.Arbitrary<readonly ByteMutation[]> {
  return fc.oneof({ weight: 3, arbitrary: fc.constant<readonly ByteMutation[]>([]) }, { weight: 1, arbitrary: fc.array(byteMutation, { minLength: 1, maxLength }) });
}

export function applyMutations(bytes: Uint8Array, mutations: readonly ByteMutation[]): Uint8Array {
  return mutations.reduce(applyMutation, bytes);
}

function applyMutation(bytes: Uint8Array, mutation: ByteMutation): Uint8Array {
  if (mutation.kind === 'extend') return concat(bytes, mutation.bytes);
  if (bytes.length === 0) return bytes;
  const at = mutation.at % bytes.length;
  switch (mutation.kind) {
    case 'flip': {
      const out = bytes.slice();
      out[at] ^= 1 << mutation.bit;
      return out;
    }
    case 'set': {
      const out = bytes.slice();
      out[at] = mutation.value;
      return out;
    }
    case 'truncate':
      return bytes.slice(0, at);
    case 'delete':
      return concat(bytes.subarray(0, at), bytes.subarray(at + mutation.count));
    case 'repeat':
      return concat(bytes.subarray(0, at + mutation.count), bytes.subarray(at));
  }
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
