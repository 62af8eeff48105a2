// Mutations of the JSON a page posts after navigator.credentials.create() / get() (W3C WebAuthn
// Level 3 §5.1 RegistrationResponseJSON, AuthenticationResponseJSON), made on the valid response
// the emulator token produced for the current challenge: its JSON structure, the base64url of its
// binary members, its client data (§5.8.1), and for an assertion the authenticator data (§6.1),
// the signature (§6.5.5, DER ECDSA-Sig-Value) and the credential it names. Each mutation comes
// with a verdict: `reject` where the relying party must refuse the result (a signed part changed,
// a check §7.1/§7.2 lists fails, the response is malformed), `either` where an RP may accept it
// (a member the RP ignores, an equivalent re-encoding, unsigned data it cannot check).
import { createHash, createSign, type KeyObject } from 'node:crypto';
import fc from 'fast-check';
import { ccdToString, fromBase64url, toBase64url } from '../../harness/webauthn/index.ts';
import { applyMutations, byteMutation, type ByteMutation } from './byte-mutations.ts';

export type Verdict = 'reject' | 'either';

/** What a mutation may need that only exists when the input runs. */
export interface MutationContext {
  origin: string;
  rpId: string;
  /** The challenge of this ceremony, and the one before it (a replay). */
  challenge: string;
  previousChallenge: string;
  /** The signature counter the console has stored for the credential. */
  storedCounter: number;
  /** A credential registered to another user. */
  otherCredentialId: string;
  /** A P-256 key that is not the credential's. */
  wrongKey: KeyObject;
}

type Json = Record<string, unknown>;

const sha256 = (bytes: Uint8Array | string): Uint8Array => new Uint8Array(createHash('sha256').update(bytes).digest());
const bytesOf = (text: string): Uint8Array => fromBase64url(text, 'mutation base');
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

// ---- JSON structure ----------------------------------------------------------------------------

/** Values of the wrong JSON type for any member. */
export const jsonOddity = fc.oneof(
  fc.constantFrom<unknown>(null, true, 0, -1, 1.5, '', 'public-key', [], {}, ['a'], { a: 1 }),
  fc.string({ maxLength: 12 }),
  fc.integer(),
);

export type JsonEdit =
  | { op: 'drop'; member: string }
  | { op: 'retype'; member: string; value: unknown }
  | { op: 'add'; member: string; value: unknown }
  | { op: 'raw-id-differs' }
  | { op: 'type'; value: string }
  /** The `credential` member itself: absent, or not an object. */
  | { op: 'credential'; value: unknown }
  | { op: 'no-credential' };

const TOP_MEMBERS = ['id', 'rawId', 'type', 'response', 'clientExtensionResults', 'authenticatorAttachment'];

function jsonEdit(responseMembers: readonly string[]): fc.Arbitrary<JsonEdit> {
  const member = fc.constantFrom(...TOP_MEMBERS, ...responseMembers.map((name) => `response.${name}`));
  return fc.oneof(
    fc.record({ op: fc.constant('drop' as const), member }),
    fc.record({ op: fc.constant('retype' as const), member, value: jsonOddity }),
    fc.record({ op: fc.constant('add' as const), member: fc.constantFrom('extra', 'response.extra', 'clientExtensionResults.appid', '__proto__'), value: jsonOddity }),
    fc.constant({ op: 'raw-id-differs' as const }),
    fc.record({ op: fc.constant('type' as const), value: fc.constantFrom('Public-Key', 'public-key ', 'password', 'federated', '') }),
    fc.record({ op: fc.constant('credential' as const), value: jsonOddity }),
    fc.constant({ op: 'no-credential' as const }),
  );
}

/** The credential's members that must be present and well-typed (the rest the console ignores). */
function requiredMembers(ceremony: 'registration' | 'assertion'): readonly string[] {
  return ['id', 'rawId', 'type', 'response', 'response.clientDataJSON', ...(ceremony === 'registration' ? ['response.attestationObject'] : ['response.authenticatorData', 'response.signature'])];
}

const clone = (value: unknown): Json => JSON.parse(JSON.stringify(value)) as Json;

function holderOf(credential: Json, member: string): [Json, string] | undefined {
  const path = member.split('.');
  let holder: unknown = credential;
  for (const name of path.slice(0, -1)) holder = isObject(holder) ? holder[name] : undefined;
  return isObject(holder) ? [holder, path[path.length - 1]] : undefined;
}

/** The verb's body, `{ credential }`, with `edit` applied; `undefined` credential means the body lacks it. */
export function applyJsonEdit(credential: Json, edit: JsonEdit, ceremony: 'registration' | 'assertion'): { body: Json; verdict: Verdict } {
  const required = requiredMembers(ceremony);
  const out = clone(credential);
  switch (edit.op) {
    case 'drop':
    case 'retype':
    case 'add': {
      const found = holderOf(out, edit.member);
      if (found) {
        const [holder, name] = found;
        if (edit.op === 'drop') delete holder[name];
        else Object.defineProperty(holder, name, { value: edit.value, enumerable: true, writable: true, configurable: true });
      }
      // A user handle, present, must name the user (§7.2 step 6); a U2F key returns none (null).
      const userHandle = edit.member === 'response.userHandle' && !(edit.op === 'retype' && edit.value === null);
      return { body: { credential: out }, verdict: edit.op !== 'add' && (required.includes(edit.member) || userHandle) ? 'reject' : 'either' };
    }
    case 'raw-id-differs':
      out.rawId = `${String(out.id)}A`;
      return { body: { credential: out }, verdict: 'reject' };
    case 'type':
      out.type = edit.value;
      return { body: { credential: out }, verdict: 'reject' };
    case 'credential':
      return { body: { credential: edit.value }, verdict: 'reject' };
    case 'no-credential':
      return { body: { response: out.response }, verdict: 'reject' };
  }
}

// ---- base64url ---------------------------------------------------------------------------------

/** Encodings of a binary member that no browser emits (RFC 4648 §5 without padding is the only form). */
export type EncodingEdit = 'padding' | 'standard-alphabet' | 'whitespace' | 'empty' | 'extra-character' | 'stray-bits' | 'non-ascii' | 'oversize';

export const encodingEdit: fc.Arbitrary<EncodingEdit> = fc.constantFrom('padding', 'standard-alphabet', 'whitespace', 'empty', 'extra-character', 'stray-bits', 'non-ascii', 'oversize');

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

export function applyEncodingEdit(text: string, edit: EncodingEdit): string {
  switch (edit) {
    case 'padding':
      return `${text}${'='.repeat((4 - (text.length % 4)) % 4 || 4)}`;
    case 'standard-alphabet':
      return /[-_]/.test(text) ? text.replace(/-/g, '+').replace(/_/g, '/') : `+${text}`;
    case 'whitespace':
      return `${text.slice(0, 4)} ${text.slice(4)}`;
    case 'empty':
      return '';
    case 'extra-character':
      return `${text}A`;
    case 'stray-bits': {
      // The last character's unused low bits set: the same bytes to a lenient decoder.
      if (text.length % 4 === 0) return `${text}A`;
      const last = ALPHABET.indexOf(text[text.length - 1]);
      return text.slice(0, -1) + ALPHABET[last | 1];
    }
    case 'non-ascii':
      return `${text.slice(0, 2)}é${text.slice(2)}`;
    case 'oversize':
      return text.repeat(Math.ceil((16 * 1024 + 1) / Math.max(text.length, 1)));
  }
}

// ---- client data -------------------------------------------------------------------------------

export type ClientDataEdit =
  | { op: 'type'; value: unknown }
  | { op: 'challenge'; value: 'previous' | 'other' | 'padded' | 'flipped-case' | 'standard-alphabet' | 'empty' | 'number' }
  | { op: 'origin'; value: 'other-site' | 'trailing-slash' | 'https' | 'other-port' | 'upper-case' | 'null' | 'empty' | 'sub-domain' }
  | { op: 'cross-origin'; value: unknown }
  | { op: 'top-origin'; value: 'own' | 'other-site' }
  | { op: 'token-binding'; value: unknown }
  | { op: 'drop'; member: 'type' | 'challenge' | 'origin' | 'crossOrigin' }
  | { op: 'extra-member' }
  | { op: 'reformat'; how: 'whitespace' | 'reordered' | 'escaped' }
  | { op: 'bytes'; mutation: ByteMutation }
  | { op: 'not-an-object'; text: string };

export const clientDataEdit: fc.Arbitrary<ClientDataEdit> = fc.oneof(
  fc.record({ op: fc.constant('type' as const), value: fc.constantFrom<unknown>('webauthn.create', 'webauthn.get', 'webauthn.get ', 'WEBAUTHN.GET', 'payment.get', '', 1, null) }),
  fc.record({ op: fc.constant('challenge' as const), value: fc.constantFrom('previous', 'other', 'padded', 'flipped-case', 'standard-alphabet', 'empty', 'number') }),
  fc.record({ op: fc.constant('origin' as const), value: fc.constantFrom('other-site', 'trailing-slash', 'https', 'other-port', 'upper-case', 'null', 'empty', 'sub-domain') }),
  fc.record({ op: fc.constant('cross-origin' as const), value: fc.constantFrom<unknown>(true, 'true', 1, null, 'false') }),
  fc.record({ op: fc.constant('top-origin' as const), value: fc.constantFrom('own', 'other-site') }),
  fc.record({ op: fc.constant('token-binding' as const), value: fc.constantFrom<unknown>({ status: 'present', id: 'AAAA' }, { status: 'supported' }, { status: 'not-supported' }, { status: 'bogus' }, 'present') }),
  fc.record({ op: fc.constant('drop' as const), member: fc.constantFrom('type', 'challenge', 'origin', 'crossOrigin') }),
  fc.constant({ op: 'extra-member' as const }),
  fc.record({ op: fc.constant('reformat' as const), how: fc.constantFrom('whitespace', 'reordered', 'escaped') }),
  fc.record({ op: fc.constant('bytes' as const), mutation: byteMutation }),
  fc.record({ op: fc.constant('not-an-object' as const), text: fc.constantFrom('[]', 'null', '"webauthn.get"', '{', '', '{"type":"webauthn.get"}}') }),
);

function otherChallengeValue(value: Extract<ClientDataEdit, { op: 'challenge' }>['value'], context: MutationContext): unknown {
  const { challenge } = context;
  switch (value) {
    case 'previous':
      return context.previousChallenge;
    case 'other':
      return toBase64url(sha256(challenge));
    case 'padded':
      return `${challenge}=`;
    case 'flipped-case':
      return challenge.replace(/[a-z]/, (char) => char.toUpperCase()) === challenge ? challenge.replace(/[A-Z]/, (char) => char.toLowerCase()) : challenge.replace(/[a-z]/, (char) => char.toUpperCase());
    case 'standard-alphabet':
      return Buffer.from(bytesOf(challenge)).toString('base64');
    case 'empty':
      return '';
    case 'number':
      return 42;
  }
}

function otherOrigin(value: Extract<ClientDataEdit, { op: 'origin' }>['value'], origin: string): string {
  const url = new URL(origin);
  switch (value) {
    case 'other-site':
      return 'http://evil.example';
    case 'trailing-slash':
      return `${origin}/`;
    case 'https':
      return origin.replace(/^http:/, 'https:');
    case 'other-port':
      return `${url.protocol}//${url.hostname}:${Number(url.port || 80) + 1}`;
    case 'upper-case':
      return origin.toUpperCase();
    case 'null':
      return 'null';
    case 'empty':
      return '';
    case 'sub-domain':
      return `${url.protocol}//evil.${url.host}`;
  }
}

/** The client data as the RP parses it, rewritten; JSON written the way a browser writes it (§5.8.1.1) unless the edit reformats. */
function serialize(data: Json, how?: 'whitespace' | 'reordered' | 'escaped'): string {
  const entries = Object.entries(data);
  const ordered = how === 'reordered' ? entries.reverse() : entries;
  const value = (item: unknown) => (typeof item === 'string' ? (how === 'escaped' ? JSON.stringify(item).replace(/[a-z]/g, (char) => `\\u00${char.charCodeAt(0).toString(16)}`) : ccdToString(item)) : JSON.stringify(item));
  const separator = how === 'whitespace' ? ', ' : ',';
  return `{${ordered.map(([key, item]) => `${ccdToString(key)}${how === 'whitespace' ? ': ' : ':'}${value(item)}`).join(separator)}}`;
}

/**
 * The client data with `edit` applied, and whether an RP must refuse it when it is validly signed
 * (a browser lying to an honest key): the type, challenge and origin must be this ceremony's,
 * crossOrigin must not be true and topOrigin absent (the console is never framed: §7.1/§7.2 ask
 * the RP whether it expects that), tokenBinding may be any defined status, other members and any
 * JSON formatting are the browser's business.
 */
export function applyClientDataEdit(clientDataJSON: Uint8Array, edit: ClientDataEdit, context: MutationContext): { bytes: Uint8Array; verdict: Verdict } {
  const text = new TextDecoder().decode(clientDataJSON);
  const data = JSON.parse(text) as Json;
  const done = (verdict: Verdict, how?: 'whitespace' | 'reordered' | 'escaped') => ({ bytes: new TextEncoder().encode(serialize(data, how)), verdict });
  switch (edit.op) {
    case 'type': {
      const original = data.type;
      data.type = edit.value;
      return done(edit.value === original ? 'either' : 'reject');
    }
    case 'challenge':
      data.challenge = otherChallengeValue(edit.value, context);
      return done('reject');
    case 'origin':
      data.origin = otherOrigin(edit.value, context.origin);
      return done('reject');
    case 'cross-origin':
      // Only false (or its absence) says the page was not framed; anything else is true or malformed.
      data.crossOrigin = edit.value;
      return done(edit.value === false ? 'either' : 'reject');
    case 'top-origin':
      data.topOrigin = edit.value === 'own' ? context.origin : 'http://evil.example';
      return done('reject');
    case 'token-binding': {
      data.tokenBinding = edit.value;
      const status = isObject(edit.value) ? edit.value.status : undefined;
      return done(status === 'present' || status === 'supported' || status === 'not-supported' ? 'either' : 'reject');
    }
    case 'drop':
      delete data[edit.member];
      return done(edit.member === 'crossOrigin' ? 'either' : 'reject');
    case 'extra-member':
      data.other_keys_can_be_added_here = 'do not compare clientDataJSON against a template. See https://goo.gl/yabPex';
      return done('either');
    case 'reformat':
      return done('either', edit.how);
    case 'bytes':
      // Raw bytes: maybe still equivalent JSON, maybe not: only a signature can tell.
      return { bytes: applyMutations(clientDataJSON, [edit.mutation]), verdict: 'either' };
    case 'not-an-object':
      return { bytes: new TextEncoder().encode(edit.text), verdict: 'reject' };
  }
}

// ---- assertion: authenticator data, signature, credential --------------------------------------

/** Authenticator data flags (§6.1): UP, RFU1, UV, BE, BS, RFU2, AT, ED. */
export const FLAG = { UP: 0x01, UV: 0x04, BE: 0x08, BS: 0x10, AT: 0x40, ED: 0x80 } as const;

export type AuthDataEdit =
  | { op: 'rp-id'; rpId: string }
  | { op: 'flags'; set: number; clear: number }
  | { op: 'counter'; value: 'stored' | 'below-stored' | 'zero' | 'next' | 'max' }
  | { op: 'bytes'; mutation: ByteMutation };

const flagBits = fc.constantFrom(0, FLAG.UP, 0x02, FLAG.UV, FLAG.BE, FLAG.BS, 0x20, FLAG.AT, FLAG.ED, FLAG.BE | FLAG.BS);

const assertionAuthDataEdit: fc.Arbitrary<AuthDataEdit> = fc.oneof(
  fc.record({ op: fc.constant('rp-id' as const), rpId: fc.constantFrom('evil.example', 'LOCALHOST', 'localhost.', 'example.localhost', '') }),
  fc.record({ op: fc.constant('flags' as const), set: flagBits, clear: flagBits }),
  fc.record({ op: fc.constant('counter' as const), value: fc.constantFrom('stored', 'below-stored', 'zero', 'next', 'max') }),
  fc.record({ op: fc.constant('bytes' as const), mutation: byteMutation }),
);

/** Assertion authenticator data edited: every byte of it is signed, so any change must be refused. */
function applyAssertionAuthDataEdit(authData: Uint8Array, edit: AuthDataEdit, context: MutationContext): Uint8Array {
  const out = Uint8Array.from(authData);
  const view = new DataView(out.buffer);
  switch (edit.op) {
    case 'rp-id':
      out.set(sha256(edit.rpId), 0);
      return out;
    case 'flags':
      out[32] = (out[32] | edit.set) & ~edit.clear & 0xff;
      return out;
    case 'counter': {
      const stored = context.storedCounter;
      const value = { stored, 'below-stored': Math.max(stored - 1, 0), zero: 0, next: stored + 1, max: 0xffffffff }[edit.value];
      if (out.length >= 37) view.setUint32(33, value);
      return out;
    }
    case 'bytes':
      return applyMutations(out, [edit.mutation]);
  }
}

export type SignatureEdit =
  | { op: 'bytes'; mutation: ByteMutation }
  /** s replaced by n - s: the other valid signature of the same message (ECDSA's malleability). */
  | { op: 'high-s' }
  /** The same (r, s) in a longer, non-canonical encoding: not DER, which §6.5.5 requires. */
  | { op: 'padded-integer' }
  | { op: 'long-form-length' }
  /** r || s, 64 bytes, as WebCrypto returns them: not the DER form WebAuthn uses for ES256. */
  | { op: 'raw' }
  | { op: 'wrong-key' };

const signatureEdit: fc.Arbitrary<SignatureEdit> = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant('bytes' as const), mutation: byteMutation }), weight: 4 },
  { arbitrary: fc.constantFrom<SignatureEdit>({ op: 'high-s' }, { op: 'padded-integer' }, { op: 'long-form-length' }, { op: 'raw' }, { op: 'wrong-key' }), weight: 3 },
);

const P256_ORDER = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

interface EcdsaSignature {
  r: Uint8Array;
  s: Uint8Array;
}

/** A DER ECDSA-Sig-Value as the token writes it (short lengths): SEQUENCE { INTEGER r, INTEGER s }. */
function parseDerSignature(der: Uint8Array): EcdsaSignature {
  const integer = (at: number): [Uint8Array, number] => {
    if (der[at] !== 0x02) throw new Error('signature: expected INTEGER');
    const length = der[at + 1];
    return [der.subarray(at + 2, at + 2 + length), at + 2 + length];
  };
  const [r, next] = integer(2);
  const [s] = integer(next);
  return { r, s };
}

const derInteger = (value: Uint8Array): Uint8Array => {
  let start = 0;
  while (start < value.length - 1 && value[start] === 0 && value[start + 1] < 0x80) start++;
  const trimmed = value.subarray(start);
  const body = trimmed[0] >= 0x80 ? Uint8Array.from([0, ...trimmed]) : trimmed;
  return Uint8Array.from([0x02, body.length, ...body]);
};

const derSequence = (...parts: Uint8Array[]): Uint8Array => {
  const body = Uint8Array.from(parts.flatMap((part) => [...part]));
  return Uint8Array.from([0x30, body.length, ...body]);
};

const toBigInt = (bytes: Uint8Array): bigint => BigInt(`0x${Buffer.from(bytes).toString('hex') || '0'}`);
const fromBigInt = (value: bigint, length = 32): Uint8Array => Uint8Array.from(Buffer.from(value.toString(16).padStart(length * 2, '0'), 'hex'));

function applySignatureEdit(signature: Uint8Array, edit: SignatureEdit, signedData: Uint8Array, context: MutationContext): { bytes: Uint8Array; verdict: Verdict } {
  switch (edit.op) {
    case 'bytes':
      return { bytes: applyMutations(signature, [edit.mutation]), verdict: 'reject' };
    case 'high-s': {
      const { r, s } = parseDerSignature(signature);
      return { bytes: derSequence(derInteger(r), derInteger(fromBigInt(P256_ORDER - toBigInt(s)))), verdict: 'either' };
    }
    case 'padded-integer': {
      const { r, s } = parseDerSignature(signature);
      const padded = Uint8Array.from([0x02, r.length + 1, 0, ...r]);
      return { bytes: derSequence(padded, derInteger(s)), verdict: 'reject' };
    }
    case 'long-form-length': {
      const body = signature.subarray(2);
      return { bytes: Uint8Array.from([0x30, 0x81, body.length, ...body]), verdict: 'reject' };
    }
    case 'raw': {
      const { r, s } = parseDerSignature(signature);
      return { bytes: Uint8Array.from([...fromBigInt(toBigInt(r)), ...fromBigInt(toBigInt(s))]), verdict: 'reject' };
    }
    case 'wrong-key':
      return { bytes: new Uint8Array(createSign('sha256').update(signedData).sign(context.wrongKey)), verdict: 'reject' };
  }
}

// ---- the whole assertion -------------------------------------------------------------------------

export type AssertionMutation =
  | { at: 'json'; edit: JsonEdit }
  | { at: 'encoding'; member: 'id' | 'clientDataJSON' | 'authenticatorData' | 'signature'; edit: EncodingEdit }
  /** Client data edited after signing (the signature breaks) or, `resign`, before (a lying browser, an honest key). */
  | { at: 'client-data'; edit: ClientDataEdit; resign: boolean }
  | { at: 'authenticator-data'; edit: AuthDataEdit }
  | { at: 'signature'; edit: SignatureEdit }
  | { at: 'user-handle'; value: 'random' | 'null' | 'empty' }
  | { at: 'credential-id'; value: 'other-user' | 'random' };

export const assertionMutation: fc.Arbitrary<AssertionMutation> = fc.oneof(
  { arbitrary: fc.record({ at: fc.constant('json' as const), edit: jsonEdit(['clientDataJSON', 'authenticatorData', 'signature', 'userHandle']) }), weight: 3 },
  { arbitrary: fc.record({ at: fc.constant('encoding' as const), member: fc.constantFrom('id', 'clientDataJSON', 'authenticatorData', 'signature'), edit: encodingEdit }), weight: 3 },
  { arbitrary: fc.record({ at: fc.constant('client-data' as const), edit: clientDataEdit, resign: fc.boolean() }), weight: 5 },
  { arbitrary: fc.record({ at: fc.constant('authenticator-data' as const), edit: assertionAuthDataEdit }), weight: 3 },
  { arbitrary: fc.record({ at: fc.constant('signature' as const), edit: signatureEdit }), weight: 3 },
  { arbitrary: fc.record({ at: fc.constant('user-handle' as const), value: fc.constantFrom('random', 'null', 'empty') }), weight: 1 },
  { arbitrary: fc.record({ at: fc.constant('credential-id' as const), value: fc.constantFrom('other-user', 'random') }), weight: 1 },
);

export interface AssertionJson {
  id: string;
  rawId: string;
  type: string;
  response: { clientDataJSON: string; authenticatorData: string; signature: string; userHandle?: string };
  [member: string]: unknown;
}

/**
 * `credential` (a valid assertion) with `mutation` applied, except a re-signed client data edit,
 * which the caller makes with the key. The verdict says whether the console must refuse it.
 */
export function applyAssertionMutation(credential: AssertionJson, mutation: AssertionMutation, context: MutationContext): { body: Json; verdict: Verdict } {
  const out = clone(credential) as unknown as AssertionJson;
  const withResponse = (verdict: Verdict) => ({ body: { credential: out }, verdict });
  const clientData = bytesOf(credential.response.clientDataJSON);
  const authData = bytesOf(credential.response.authenticatorData);
  switch (mutation.at) {
    case 'json':
      return applyJsonEdit(out, mutation.edit, 'assertion');
    case 'encoding':
      if (mutation.member === 'id') out.id = out.rawId = applyEncodingEdit(out.id, mutation.edit);
      else out.response[mutation.member] = applyEncodingEdit(out.response[mutation.member], mutation.edit);
      return withResponse('reject');
    case 'client-data': {
      const edited = applyClientDataEdit(clientData, mutation.edit, context);
      out.response.clientDataJSON = toBase64url(edited.bytes);
      // Signed before the edit: the signature no longer holds, whatever the edit meant.
      return withResponse('reject');
    }
    case 'authenticator-data':
      out.response.authenticatorData = toBase64url(applyAssertionAuthDataEdit(authData, mutation.edit, context));
      return withResponse('reject');
    case 'signature': {
      const signed = Uint8Array.from([...authData, ...sha256(clientData)]);
      const edited = applySignatureEdit(bytesOf(credential.response.signature), mutation.edit, signed, context);
      out.response.signature = toBase64url(edited.bytes);
      return withResponse(edited.verdict);
    }
    case 'user-handle':
      if (mutation.value === 'null') (out.response as Json).userHandle = null;
      else out.response.userHandle = mutation.value === 'empty' ? '' : toBase64url(sha256(context.challenge));
      return withResponse(mutation.value === 'null' ? 'either' : 'reject');
    case 'credential-id':
      out.id = out.rawId = mutation.value === 'other-user' ? context.otherCredentialId : toBase64url(sha256(out.id));
      return withResponse('reject');
  }
}
