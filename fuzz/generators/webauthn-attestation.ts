// Mutations of a registration's attestation object (W3C WebAuthn Level 3 §6.5.4, CBOR
// `{fmt, attStmt, authData}`): the format, the statement (§8.6 fido-u2f `{sig, x5c}`, §8.7 none),
// the authenticator data with its attested credential data (§6.5.1: AAGUID, credential id and its
// length, the COSE_Key, RFC 9052 §7), and the CBOR itself. The verdict depends on what the
// format signs: fido-u2f signs the RP ID hash, client data hash, credential id and public key
// point, not the flags, counter or AAGUID; none signs nothing, so only the RP's own checks
// (§7.1: RP ID, UP, AT, BE/BS, alg, credential id ≤ 1023 bytes and new, a usable public key)
// can refuse an edit.
import { createHash } from 'node:crypto';
import { Decoder } from 'cbor-x';
import fc from 'fast-check';
import { encodeCbor, fromBase64url, toBase64url, type CborValue } from '../../harness/webauthn/index.ts';
import { applyMutations, boundaryU16, boundaryU32, byteMutation, type ByteMutation } from './byte-mutations.ts';
import {
  applyClientDataEdit,
  applyEncodingEdit,
  applyJsonEdit,
  clientDataEdit,
  encodingEdit,
  FLAG,
  jsonOddity,
  type ClientDataEdit,
  type EncodingEdit,
  type JsonEdit,
  type MutationContext,
  type Verdict,
} from './webauthn-responses.ts';

type Json = Record<string, unknown>;

const sha256 = (bytes: Uint8Array | string): Uint8Array => new Uint8Array(createHash('sha256').update(bytes).digest());
const bytesOf = (text: string): Uint8Array => fromBase64url(text, 'mutation base');
/** COSE keys decode to Maps (integer labels); the attestation object's text keys to objects. */
const decodeCose = (bytes: Uint8Array): Map<number, CborValue> => new Decoder({ mapsAsObjects: false }).decode(bytes) as Map<number, CborValue>;
const decodeObject = (bytes: Uint8Array): Json => new Decoder({ mapsAsObjects: true }).decode(bytes) as Json;

export type Format = 'fido-u2f' | 'none';

/** Authenticator data with attested credential data, as a U2F key's registration carries it. */
interface AuthData {
  rpIdHash: Uint8Array;
  flags: number;
  counter: number;
  aaguid: Uint8Array;
  credentialId: Uint8Array;
  /** The COSE_Key bytes. */
  publicKey: Uint8Array;
  /** Extension outputs (ED) and anything after, as raw bytes. */
  tail: Uint8Array;
  /** The credentialIdLength field when it should lie about the id's length. */
  lengthField?: number;
}

function parseAuthData(bytes: Uint8Array): AuthData {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = view.getUint16(53);
  return {
    rpIdHash: bytes.slice(0, 32),
    flags: bytes[32],
    counter: view.getUint32(33),
    aaguid: bytes.slice(37, 53),
    credentialId: bytes.slice(55, 55 + length),
    // The token's registrations carry no extensions: the key is the rest.
    publicKey: bytes.slice(55 + length),
    tail: new Uint8Array(0),
  };
}

function encodeAuthData(data: AuthData): Uint8Array {
  const head = new Uint8Array(55);
  const view = new DataView(head.buffer);
  head.set(data.rpIdHash, 0);
  head[32] = data.flags;
  view.setUint32(33, data.counter);
  head.set(data.aaguid, 37);
  view.setUint16(53, data.lengthField ?? data.credentialId.length);
  return Uint8Array.from([...head, ...data.credentialId, ...data.publicKey, ...data.tail]);
}

// ---- the edits ---------------------------------------------------------------------------------

/** COSE_Key labels (RFC 9053 §7.1.1): kty 1, alg 3, crv -1, x -2, y -3; 99 is none of them. */
const COSE_LABEL = fc.constantFrom(1, 3, -1, -2, -3, 99);

export type CoseEdit =
  | { op: 'set'; label: number; value: unknown }
  | { op: 'drop'; label: number }
  | { op: 'swap-coordinates' }
  | { op: 'point-bytes'; mutation: ByteMutation }
  | { op: 'not-a-map'; value: unknown };

const coseEdit: fc.Arbitrary<CoseEdit> = fc.oneof(
  fc.record({ op: fc.constant('set' as const), label: COSE_LABEL, value: fc.oneof(fc.constantFrom<unknown>(-7, -8, -35, -257, 0, 1, 2, 3, 4, 'EC2'), fc.uint8Array({ minLength: 0, maxLength: 40 })) }),
  fc.record({ op: fc.constant('drop' as const), label: COSE_LABEL }),
  fc.constant({ op: 'swap-coordinates' as const }),
  fc.record({ op: fc.constant('point-bytes' as const), mutation: byteMutation }),
  fc.record({ op: fc.constant('not-a-map' as const), value: fc.constantFrom<unknown>([1, 2], 'key', 7) }),
);

export type AuthDataEdit =
  | { op: 'rp-id'; rpId: string }
  | { op: 'flags'; set: number; clear: number }
  | { op: 'counter'; value: number }
  | { op: 'aaguid' }
  | { op: 'credential-id-length'; value: number }
  /** A new credential id, carried into the JSON id too when `consistent`. */
  | { op: 'credential-id'; value: 'flipped' | 'empty' | 'max-allowed' | 'too-long' | 'other-user'; consistent: boolean }
  | { op: 'public-key'; edit: CoseEdit }
  | { op: 'extensions'; value: 'map' | 'garbage' }
  | { op: 'trailing-bytes' };

const flagBits = fc.constantFrom(0, FLAG.UP, 0x02, FLAG.UV, FLAG.BE, FLAG.BS, 0x20, FLAG.AT, FLAG.ED, FLAG.BE | FLAG.BS);

const authDataEdit: fc.Arbitrary<AuthDataEdit> = fc.oneof(
  fc.record({ op: fc.constant('rp-id' as const), rpId: fc.constantFrom('evil.example', 'LOCALHOST', 'localhost.', '') }),
  fc.record({ op: fc.constant('flags' as const), set: flagBits, clear: flagBits }),
  fc.record({ op: fc.constant('counter' as const), value: boundaryU32 }),
  fc.constant({ op: 'aaguid' as const }),
  fc.record({ op: fc.constant('credential-id-length' as const), value: boundaryU16 }),
  fc.record({ op: fc.constant('credential-id' as const), value: fc.constantFrom('flipped', 'empty', 'max-allowed', 'too-long', 'other-user'), consistent: fc.boolean() }),
  { arbitrary: fc.record({ op: fc.constant('public-key' as const), edit: coseEdit }), weight: 3 },
  fc.record({ op: fc.constant('extensions' as const), value: fc.constantFrom('map', 'garbage') }),
  fc.constant({ op: 'trailing-bytes' as const }),
);

export type StatementEdit =
  | { op: 'drop'; member: 'sig' | 'x5c' }
  | { op: 'sig-bytes'; mutation: ByteMutation }
  | { op: 'x5c'; value: 'empty' | 'twice' | 'not-an-array' | 'not-bytes' }
  | { op: 'certificate-bytes'; mutation: ByteMutation }
  | { op: 'retype'; member: 'sig' | 'x5c'; value: unknown }
  | { op: 'extra-member' };

const statementEdit: fc.Arbitrary<StatementEdit> = fc.oneof(
  fc.record({ op: fc.constant('drop' as const), member: fc.constantFrom('sig', 'x5c') }),
  { arbitrary: fc.record({ op: fc.constant('sig-bytes' as const), mutation: byteMutation }), weight: 2 },
  fc.record({ op: fc.constant('x5c' as const), value: fc.constantFrom('empty', 'twice', 'not-an-array', 'not-bytes') }),
  fc.record({ op: fc.constant('certificate-bytes' as const), mutation: byteMutation }),
  fc.record({ op: fc.constant('retype' as const), member: fc.constantFrom('sig', 'x5c'), value: jsonOddity.filter((value) => value !== null) }),
  fc.constant({ op: 'extra-member' as const }),
);

export type ObjectEdit = 'integer-keys' | 'extra-key' | 'array' | 'trailing-bytes' | 'drop-auth-data' | 'auth-data-as-text' | 'drop-statement';

export type AttestationEdit =
  | { op: 'fmt'; value: 'none-with-empty-statement' | 'none' | 'packed' | 'android-key' | 'tpm' | 'apple' | 'FIDO-U2F' | 'number' | 'drop' }
  | { op: 'statement'; edit: StatementEdit }
  | { op: 'auth-data'; edit: AuthDataEdit }
  | { op: 'object'; edit: ObjectEdit }
  | { op: 'bytes'; mutation: ByteMutation };

const attestationEdit: fc.Arbitrary<AttestationEdit> = fc.oneof(
  fc.record({ op: fc.constant('fmt' as const), value: fc.constantFrom('none-with-empty-statement', 'none', 'packed', 'android-key', 'tpm', 'apple', 'FIDO-U2F', 'number', 'drop') }),
  { arbitrary: fc.record({ op: fc.constant('statement' as const), edit: statementEdit }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('auth-data' as const), edit: authDataEdit }), weight: 5 },
  fc.record({ op: fc.constant('object' as const), edit: fc.constantFrom('integer-keys', 'extra-key', 'array', 'trailing-bytes', 'drop-auth-data', 'auth-data-as-text', 'drop-statement') }),
  fc.record({ op: fc.constant('bytes' as const), mutation: byteMutation }),
);

// ---- applying them -----------------------------------------------------------------------------

/** What a registration needs besides the response: the other user's credential, to claim it. */
export interface RegistrationContext extends MutationContext {
  otherCredential: { id: Uint8Array; publicKey: Uint8Array };
}

interface Edited {
  object: Uint8Array;
  /** A new credential id for the JSON id and rawId, when the edit carries it there. */
  credentialId?: Uint8Array;
  verdict: Verdict;
}

function editCose(publicKey: Uint8Array, edit: CoseEdit): { bytes: Uint8Array; verdict: Verdict } {
  const key = decodeCose(publicKey);
  switch (edit.op) {
    case 'set':
      key.set(edit.label, edit.value as CborValue);
      // A label the key type does not define is ignored (RFC 9052 §7); the rest makes another or no key.
      return { bytes: encodeCbor(key), verdict: edit.label === 99 ? 'either' : 'reject' };
    case 'drop':
      key.delete(edit.label);
      return { bytes: encodeCbor(key), verdict: edit.label === 99 ? 'either' : 'reject' };
    case 'swap-coordinates': {
      const x = key.get(-2);
      key.set(-2, key.get(-3)!);
      key.set(-3, x!);
      return { bytes: encodeCbor(key), verdict: 'reject' };
    }
    case 'point-bytes': {
      const x = key.get(-2) as Uint8Array;
      const mutated = applyMutations(x, [edit.mutation]);
      key.set(-2, mutated);
      // fido-u2f signed the point; for none, another x is (but for a 2^-128 chance) not on the curve with this y.
      return { bytes: encodeCbor(key), verdict: 'reject' };
    }
    case 'not-a-map':
      return { bytes: encodeCbor(edit.value as CborValue), verdict: 'reject' };
  }
}

const longId = (length: number): Uint8Array => Uint8Array.from({ length }, (_, i) => (i * 37 + 11) & 0xff);

function editAuthData(bytes: Uint8Array, edit: AuthDataEdit, format: Format, context: RegistrationContext): { bytes: Uint8Array; credentialId?: Uint8Array; verdict: Verdict } {
  const data = parseAuthData(bytes);
  const signed = format === 'fido-u2f';
  const done = (verdict: Verdict, credentialId?: Uint8Array) => ({ bytes: encodeAuthData(data), credentialId, verdict });
  switch (edit.op) {
    case 'rp-id':
      data.rpIdHash = sha256(edit.rpId);
      return done('reject');
    case 'flags': {
      data.flags = (data.flags | edit.set) & ~edit.clear & 0xff;
      const { flags } = data;
      // UP and AT must stay, ED needs extension data, BS needs BE; UV, BE+BS and the RFU bits are unsigned news.
      const broken = !(flags & FLAG.UP) || !(flags & FLAG.AT) || flags & FLAG.ED || (flags & FLAG.BS && !(flags & FLAG.BE));
      return done(broken ? 'reject' : 'either');
    }
    case 'counter':
      data.counter = edit.value;
      return done('either');
    case 'aaguid':
      data.aaguid = sha256('aaguid').slice(0, 16);
      // FIDO U2F keys have no AAGUID: fido-u2f requires zeros (§8.6 step 2 via CTAP2 §10).
      return done(signed ? 'reject' : 'either');
    case 'credential-id-length':
      data.lengthField = edit.value;
      return done(edit.value === data.credentialId.length ? 'either' : 'reject');
    case 'credential-id': {
      const other = context.otherCredential;
      const id = { flipped: data.credentialId.map((byte, i) => (i === 0 ? byte ^ 1 : byte)), empty: new Uint8Array(0), 'max-allowed': longId(1023), 'too-long': longId(1024), 'other-user': other.id }[edit.value];
      data.credentialId = id;
      if (edit.value === 'other-user') data.publicKey = other.publicKey;
      // The JSON id names the attested credential (§5.1); an id over 1023 bytes or one registered already is refused (§7.1).
      const acceptable = edit.consistent && !signed && (edit.value === 'flipped' || edit.value === 'max-allowed');
      return done(acceptable ? 'either' : 'reject', edit.consistent ? id : undefined);
    }
    case 'public-key': {
      const edited = editCose(data.publicKey, edit.edit);
      data.publicKey = edited.bytes;
      return done(edited.verdict);
    }
    case 'extensions':
      data.flags |= FLAG.ED;
      data.tail = edit.value === 'map' ? encodeCbor(new Map<string, CborValue>([['credProtect', 1]])) : Uint8Array.from([0xff, 0x00]);
      return done(edit.value === 'map' ? 'either' : 'reject');
    case 'trailing-bytes':
      data.tail = Uint8Array.from([0x00]);
      return done('reject');
  }
}

function editStatement(statement: Json, edit: StatementEdit, format: Format): Verdict {
  // A none statement must be empty (§8.7): anything put in it is refused.
  const verdict = (forU2f: Verdict): Verdict => (format === 'none' ? 'reject' : forU2f);
  switch (edit.op) {
    case 'drop':
      delete statement[edit.member];
      return format === 'none' ? 'either' : 'reject';
    case 'sig-bytes':
      statement.sig = applyMutations((statement.sig as Uint8Array | undefined) ?? new Uint8Array(8), [edit.mutation]);
      return 'reject';
    case 'x5c': {
      const certificate = (statement.x5c as Uint8Array[] | undefined)?.[0] ?? new Uint8Array(8);
      statement.x5c = { empty: [], twice: [certificate, certificate], 'not-an-array': certificate, 'not-bytes': ['certificate'] }[edit.value];
      // fido-u2f has exactly one certificate (§8.6 step 2); a second one, unused, changes nothing signed.
      return verdict(edit.value === 'twice' ? 'either' : 'reject');
    }
    case 'certificate-bytes': {
      const certificate = (statement.x5c as Uint8Array[] | undefined)?.[0] ?? new Uint8Array(8);
      statement.x5c = [applyMutations(certificate, [edit.mutation])];
      // A changed certificate may still carry the attestation key (its own signature is not checked without roots).
      return verdict('either');
    }
    case 'retype':
      statement[edit.member] = edit.value;
      return 'reject';
    case 'extra-member':
      statement.ver = 'U2F_V2';
      return verdict('either');
  }
}

function editObject(attestation: Json, edit: ObjectEdit): { object: Uint8Array; verdict: Verdict } {
  const { fmt, attStmt, authData } = attestation as { fmt: CborValue; attStmt: CborValue; authData: CborValue };
  switch (edit) {
    case 'integer-keys':
      return { object: encodeCbor(new Map<number, CborValue>([[1, fmt], [2, authData], [3, attStmt]])), verdict: 'reject' };
    case 'extra-key':
      return { object: encodeCbor({ fmt, attStmt, authData, epAtt: true }), verdict: 'either' };
    case 'array':
      return { object: encodeCbor([fmt, attStmt, authData]), verdict: 'reject' };
    case 'trailing-bytes':
      // The object is one CBOR item; a decoder may read it and stop, or refuse what follows.
      return { object: Uint8Array.from([...encodeCbor({ fmt, attStmt, authData }), 0x00]), verdict: 'either' };
    case 'drop-auth-data':
      return { object: encodeCbor({ fmt, attStmt }), verdict: 'reject' };
    case 'auth-data-as-text':
      return { object: encodeCbor({ fmt, attStmt, authData: toBase64url(authData as Uint8Array) }), verdict: 'reject' };
    case 'drop-statement':
      return { object: encodeCbor({ fmt, authData }), verdict: 'reject' };
  }
}

function applyAttestationEdit(attestationObject: Uint8Array, edit: AttestationEdit, format: Format, context: RegistrationContext): Edited {
  const attestation = decodeObject(attestationObject);
  const encode = () => encodeCbor({ fmt: attestation.fmt as CborValue, attStmt: attestation.attStmt as CborValue, authData: attestation.authData as CborValue });
  switch (edit.op) {
    case 'fmt': {
      const value = { 'none-with-empty-statement': 'none', none: 'none', packed: 'packed', 'android-key': 'android-key', tpm: 'tpm', apple: 'apple', 'FIDO-U2F': 'FIDO-U2F', number: 2, drop: undefined }[edit.value];
      if (value === undefined) delete attestation.fmt;
      else attestation.fmt = value;
      if (edit.value === 'none-with-empty-statement') attestation.attStmt = {};
      // A key may attest with less than was asked (none is accepted); any other label must match its statement.
      const same = value === format;
      return { object: encode(), verdict: edit.value === 'none-with-empty-statement' || same ? 'either' : 'reject' };
    }
    case 'statement': {
      const statement = { ...(attestation.attStmt as Json) };
      attestation.attStmt = statement;
      const verdict = editStatement(statement, edit.edit, format);
      return { object: encode(), verdict };
    }
    case 'auth-data': {
      const edited = editAuthData(attestation.authData as Uint8Array, edit.edit, format, context);
      attestation.authData = edited.bytes;
      return { object: encode(), credentialId: edited.credentialId, verdict: edited.verdict };
    }
    case 'object':
      return editObject(attestation, edit.edit);
    case 'bytes':
      // Bytes anywhere: in an unsigned field it may mean another valid registration.
      return { object: applyMutations(attestationObject, [edit.mutation]), verdict: 'either' };
  }
}

// ---- the whole registration ----------------------------------------------------------------------

export type RegistrationMutation =
  | { at: 'json'; edit: JsonEdit }
  | { at: 'encoding'; member: 'id' | 'clientDataJSON' | 'attestationObject'; edit: EncodingEdit }
  | { at: 'client-data'; edit: ClientDataEdit }
  | { at: 'attestation'; edit: AttestationEdit }
  /** id and rawId agree with each other but not with the credential the key attested. */
  | { at: 'json-id'; value: 'other' };

export const registrationMutation: fc.Arbitrary<RegistrationMutation> = fc.oneof(
  { arbitrary: fc.record({ at: fc.constant('json' as const), edit: jsonEditForRegistration() }), weight: 2 },
  { arbitrary: fc.record({ at: fc.constant('encoding' as const), member: fc.constantFrom('id', 'clientDataJSON', 'attestationObject'), edit: encodingEdit }), weight: 2 },
  { arbitrary: fc.record({ at: fc.constant('client-data' as const), edit: clientDataEdit }), weight: 3 },
  { arbitrary: fc.record({ at: fc.constant('attestation' as const), edit: attestationEdit }), weight: 8 },
  { arbitrary: fc.constant({ at: 'json-id' as const, value: 'other' as const }), weight: 1 },
);

function jsonEditForRegistration(): fc.Arbitrary<JsonEdit> {
  const member = fc.constantFrom('id', 'rawId', 'type', 'response', 'clientExtensionResults', 'authenticatorAttachment', 'response.clientDataJSON', 'response.attestationObject', 'response.transports', 'response.publicKey', 'response.authenticatorData');
  return fc.oneof(
    fc.record({ op: fc.constant('drop' as const), member }),
    fc.record({ op: fc.constant('retype' as const), member, value: jsonOddity }),
    fc.record({ op: fc.constant('add' as const), member: fc.constantFrom('extra', 'response.extra'), value: jsonOddity }),
    fc.constant({ op: 'raw-id-differs' as const }),
    fc.record({ op: fc.constant('credential' as const), value: jsonOddity }),
    fc.constant({ op: 'no-credential' as const }),
  );
}

export interface RegistrationJson {
  id: string;
  rawId: string;
  type: string;
  response: { clientDataJSON: string; attestationObject: string; [member: string]: unknown };
  [member: string]: unknown;
}

export function applyRegistrationMutation(credential: RegistrationJson, mutation: RegistrationMutation, format: Format, context: RegistrationContext): { body: Json; verdict: Verdict } {
  const out = JSON.parse(JSON.stringify(credential)) as RegistrationJson;
  const withResponse = (verdict: Verdict) => ({ body: { credential: out }, verdict });
  switch (mutation.at) {
    case 'json':
      return applyJsonEdit(out, mutation.edit, 'registration');
    case 'encoding': {
      if (mutation.member === 'id') out.id = out.rawId = applyEncodingEdit(out.id, mutation.edit);
      else out.response[mutation.member] = applyEncodingEdit(out.response[mutation.member], mutation.edit);
      // On a text of 2 or 3 mod 4 characters an extra "A" is canonical base64url for one more zero
      // byte: after the attestation object's CBOR item, where a decoder may stop reading (as 'trailing-bytes').
      const trailingZero = mutation.member === 'attestationObject' && mutation.edit === 'extra-character' && credential.response.attestationObject.length % 4 >= 2;
      return withResponse(trailingZero ? 'either' : 'reject');
    }
    case 'client-data': {
      const edited = applyClientDataEdit(bytesOf(out.response.clientDataJSON), mutation.edit, context);
      out.response.clientDataJSON = toBase64url(edited.bytes);
      // fido-u2f signs the client data's hash; none leaves the RP its own checks alone.
      return withResponse(format === 'fido-u2f' ? 'reject' : edited.verdict);
    }
    case 'attestation': {
      const edited = applyAttestationEdit(bytesOf(out.response.attestationObject), mutation.edit, format, context);
      out.response.attestationObject = toBase64url(edited.object);
      if (edited.credentialId) out.id = out.rawId = toBase64url(edited.credentialId);
      return withResponse(edited.verdict);
    }
    case 'json-id':
      out.id = out.rawId = toBase64url(sha256(out.id));
      return withResponse('reject');
  }
}
