// U2F command APDUs (FIDO U2F Raw Message Formats v1.2, "Request Message Framing", "Registration
// Request Message", "Authentication Request Message", "GetVersion Request"): valid REGISTER,
// AUTHENTICATE (enforce, check-only, dont-enforce) and VERSION requests on the registered
// credentials, then mutated field by field (CLA, INS, P1, P2, Lc/Le in the short and extended
// encodings, the key-handle length byte, the handle, the parameters) and byte by byte, plus some
// fully random APDUs. Key handles are chosen by index and filled in when the APDU is encoded,
// because they exist only once the token has registered them.
import fc from 'fast-check';
import { AuthenticateControl, U2fInstruction } from '../../emulator/token/index.ts';
import { type ByteMutation, applyMutations, boundaryByte, boundaryU16, byteMutations } from './byte-mutations.ts';
import type { RegisteredKey } from './u2f-keys.ts';

export type ApduEncoding = 'extended' | 'extended-no-le' | 'short' | 'short-le';

/** A parameter or handle of a registered key (by index), of the next key (a mix-up), or raw bytes. */
export type KeyPart = 'key' | 'other-key' | Uint8Array;

export interface U2fRequest {
  readonly kind: 'register' | 'authenticate' | 'version';
  readonly cla: number;
  /** The instruction byte; null for the kind's own. */
  readonly ins: number | null;
  readonly p1: number;
  readonly p2: number;
  readonly challenge: Uint8Array;
  /** Which registered key `application` and `keyHandle` refer to (modulo the number of keys). */
  readonly key: number;
  readonly application: KeyPart;
  readonly keyHandle: KeyPart;
  readonly handleMutations: readonly ByteMutation[];
  /** Overrides the key-handle length byte L; null writes the handle's length. */
  readonly handleLength: number | null;
  readonly encoding: ApduEncoding;
  /** Overrides Lc; null writes the data length. */
  readonly lc: number | null;
  /** Le as encoded (one byte in the short form, two in the extended). */
  readonly le: number;
  /** Applied to the encoded APDU. */
  readonly mutations: readonly ByteMutation[];
}

export type U2fApdu = { readonly kind: 'random'; readonly bytes: Uint8Array } | U2fRequest;

const INSTRUCTION = { register: U2fInstruction.REGISTER, authenticate: U2fInstruction.AUTHENTICATE, version: U2fInstruction.VERSION } as const;

/** `usual` nearly always, `unusual` now and then: most inputs stay valid enough to go deep. */
function mostly<T>(usual: fc.Arbitrary<T>, unusual: fc.Arbitrary<T>, odds = 9): fc.Arbitrary<T> {
  return fc.oneof({ weight: odds, arbitrary: usual }, { weight: 1, arbitrary: unusual });
}

const anyByte = fc.oneof(boundaryByte, fc.nat({ max: 0xff }));

function p1For(kind: U2fRequest['kind']): fc.Arbitrary<number> {
  if (kind === 'authenticate') {
    const { ENFORCE_USER_PRESENCE_AND_SIGN, CHECK_ONLY, DONT_ENFORCE_USER_PRESENCE_AND_SIGN } = AuthenticateControl;
    return mostly(fc.constantFrom(ENFORCE_USER_PRESENCE_AND_SIGN, CHECK_ONLY, DONT_ENFORCE_USER_PRESENCE_AND_SIGN), anyByte, 6);
  }
  // REGISTER's P1 is not defined by the spec; clients send 0x00 or 0x03 (enforce presence).
  return mostly(fc.constantFrom(0x00, 0x03), anyByte, 4);
}

const keyPart = (size: number): fc.Arbitrary<KeyPart> =>
  fc.oneof(
    { weight: 12, arbitrary: fc.constant('key' as const) },
    { weight: 1, arbitrary: fc.constant('other-key' as const) },
    { weight: 1, arbitrary: fc.uint8Array({ minLength: size, maxLength: size }) },
  );

const handleBytes: fc.Arbitrary<KeyPart> = fc.oneof(
  keyPart(64),
  fc.uint8Array({ maxLength: 80 }),
  fc.constantFrom(new Uint8Array(0), new Uint8Array(255)),
);

export const u2fRequest: fc.Arbitrary<U2fRequest> = fc
  .constantFrom<U2fRequest['kind']>('authenticate', 'authenticate', 'authenticate', 'register', 'register', 'version')
  .chain((kind) =>
    fc.record({
      kind: fc.constant(kind),
      cla: mostly(fc.constant(0), anyByte),
      ins: mostly(fc.constant(null), fc.oneof(anyByte, fc.constantFrom(0x00, 0x04, 0x40, 0xc0))),
      p1: p1For(kind),
      p2: mostly(fc.constant(0), anyByte),
      challenge: fc.uint8Array({ minLength: 32, maxLength: 32 }),
      key: fc.nat({ max: 7 }),
      application: keyPart(32),
      keyHandle: handleBytes,
      handleMutations: mostly(fc.constant([]), byteMutations(2), 4),
      handleLength: mostly(fc.constant(null), fc.oneof(boundaryByte, fc.constantFrom(63, 64, 65))),
      encoding: mostly(fc.constantFrom<ApduEncoding>('extended', 'extended-no-le'), fc.constantFrom<ApduEncoding>('short', 'short-le'), 3),
      lc: mostly(fc.constant(null), fc.oneof(boundaryU16, fc.nat({ max: 200 }))),
      le: mostly(fc.constant(0), boundaryU16, 4),
      mutations: byteMutations(3),
    }),
  );

export const u2fApdu: fc.Arbitrary<U2fApdu> = fc.oneof(
  { weight: 9, arbitrary: u2fRequest },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }).map((bytes) => ({ kind: 'random' as const, bytes })) },
);

/** The APDU's bytes, with key parts taken from `keys` (zero bytes when there are none). */
export function encodeU2fApdu(apdu: U2fApdu, keys: readonly RegisteredKey[]): Uint8Array {
  if (apdu.kind === 'random') return apdu.bytes;
  const data = requestData(apdu, keys);
  const header = [apdu.cla, apdu.ins ?? INSTRUCTION[apdu.kind], apdu.p1, apdu.p2];
  const lc = apdu.lc ?? data.length;
  const body: number[] =
    apdu.encoding === 'extended' ? [0, lc >> 8, lc & 0xff, ...data, apdu.le >> 8, apdu.le & 0xff]
    : apdu.encoding === 'extended-no-le' ? (data.length || apdu.lc !== null ? [0, lc >> 8, lc & 0xff, ...data] : [])
    : apdu.encoding === 'short' ? (data.length || apdu.lc !== null ? [lc & 0xff, ...data] : [])
    : data.length || apdu.lc !== null ? [lc & 0xff, ...data, apdu.le & 0xff] : [apdu.le & 0xff];
  return applyMutations(Uint8Array.from([...header, ...body]), apdu.mutations);
}

function requestData(request: U2fRequest, keys: readonly RegisteredKey[]): Uint8Array {
  if (request.kind === 'version') return new Uint8Array(0);
  const application = keyBytes(request.application, request.key, keys, (key) => key.application, 32);
  if (request.kind === 'register') return Uint8Array.from([...request.challenge, ...application]);
  const handle = applyMutations(keyBytes(request.keyHandle, request.key, keys, (key) => key.keyHandle, 64), request.handleMutations);
  const length = request.handleLength ?? handle.length & 0xff;
  return Uint8Array.from([...request.challenge, ...application, length, ...handle.subarray(0, 255)]);
}

function keyBytes(part: KeyPart, index: number, keys: readonly RegisteredKey[], pick: (key: RegisteredKey) => Uint8Array, size: number): Uint8Array {
  if (part instanceof Uint8Array) return part;
  if (keys.length === 0) return new Uint8Array(size);
  return pick(keys[(index + (part === 'key' ? 0 : 1)) % keys.length]!);
}
