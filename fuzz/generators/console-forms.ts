// The console's forms and pages as a fuzzer sees them (emulator/console/routes/): each route's
// method, path, the session it expects, its fields with the values a browser would send, and
// what a successful answer looks like. Inputs are generated from this table: a route, the session
// and cookie it is sent with, its fields kept, edited, dropped, repeated, retyped or joined by
// others, the CSRF token and Origin right or wrong, and the body in some encoding and content type.
// Valid values are named (`ValueRef`) and looked up when the input runs: a session's CSRF token or
// the code an authenticator app shows exist only then.
import fc from 'fast-check';
import { anyText, applyTextEdit, controlCharacter, textEdit, type TextEdit } from './console-values.ts';

export type SessionKind = 'none' | 'anonymous' | 'mfa-required' | 'signed-in';

/** The values an input's valid fields take, known when it runs. */
export type ValueRef =
  | 'csrfToken'
  | 'account'
  | 'userName'
  | 'password'
  | 'newPassword'
  | 'mfaCode'
  | 'deviceName'
  | 'serialNumber'
  | 'policyDocument'
  | 'policyName'
  | 'policyArn'
  | 'targetUser';

export type KnownValues = Record<ValueRef, string>;

export interface FieldSpec {
  name: string;
  /** A named value, or literal choices (radio buttons, wizard steps). */
  valid: ValueRef | readonly [string, ...string[]];
}

export interface FormRoute {
  name: string;
  method: 'GET' | 'POST';
  /** `:name` stands for a path parameter (a user name). */
  path: string;
  /** Where the fields go: a urlencoded form body, a JSON body (the page script), the query string. */
  fields: 'form' | 'json' | 'query';
  /** The session a browser has when it sends this. */
  session: SessionKind;
  spec: readonly FieldSpec[];
  /** How a success answers: a redirect to one of these paths (prefix), or a status 200 page/JSON. */
  success: { redirect?: readonly string[]; ok?: boolean };
}

const CSRF: FieldSpec = { name: '_csrf', valid: 'csrfToken' };
const CREDENTIALS = '/console/iam/security-credentials';
const STEPS = ['permissions', 'tags', 'add-tag', 'review', 'create'] as const;

export const FORM_ROUTES: readonly FormRoute[] = [
  {
    name: 'signin',
    method: 'POST',
    path: '/console/signin',
    fields: 'form',
    session: 'anonymous',
    spec: [CSRF, { name: 'account', valid: 'account' }, { name: 'username', valid: 'userName' }, { name: 'password', valid: 'password' }],
    success: { redirect: ['/console/home', '/console/signin/mfa'] },
  },
  { name: 'mfa-code', method: 'POST', path: '/console/signin/mfa-code', fields: 'form', session: 'mfa-required', spec: [CSRF, { name: 'code', valid: 'mfaCode' }], success: { redirect: ['/console/home'] } },
  { name: 'signout', method: 'POST', path: '/console/signout', fields: 'form', session: 'signed-in', spec: [CSRF], success: { redirect: ['/console/signin'] } },
  {
    name: 'password',
    method: 'POST',
    path: `${CREDENTIALS}/password`,
    fields: 'form',
    session: 'signed-in',
    spec: [CSRF, { name: 'oldPassword', valid: 'password' }, { name: 'newPassword', valid: 'newPassword' }, { name: 'confirmPassword', valid: 'newPassword' }],
    success: { ok: true },
  },
  {
    name: 'assign-mfa',
    method: 'POST',
    path: `${CREDENTIALS}/mfa/assign`,
    fields: 'form',
    session: 'signed-in',
    spec: [CSRF, { name: 'name', valid: 'deviceName' }, { name: 'type', valid: ['authenticator-app', 'security-key'] }],
    success: { ok: true, redirect: [`${CREDENTIALS}/mfa/security-key?name=`] },
  },
  {
    name: 'authenticator-app',
    method: 'POST',
    path: `${CREDENTIALS}/mfa/authenticator-app`,
    fields: 'form',
    session: 'signed-in',
    spec: [CSRF, { name: 'serialNumber', valid: 'serialNumber' }, { name: 'seed', valid: ['JBSWY3DPEHPK3PXP'] }, { name: 'code1', valid: ['123456'] }, { name: 'code2', valid: ['654321'] }],
    success: { redirect: [`${CREDENTIALS}?mfa=open&notice=device-assigned`] },
  },
  {
    name: 'remove-mfa',
    method: 'POST',
    path: `${CREDENTIALS}/mfa/remove`,
    fields: 'form',
    session: 'signed-in',
    spec: [CSRF, { name: 'serialNumber', valid: 'serialNumber' }],
    success: { redirect: [`${CREDENTIALS}?mfa=open&notice=device-removed`] },
  },
  {
    name: 'create-policy',
    method: 'POST',
    path: '/console/iam/policies/create',
    fields: 'form',
    session: 'signed-in',
    spec: [
      CSRF,
      { name: 'document', valid: 'policyDocument' },
      { name: 'step', valid: STEPS },
      { name: 'name', valid: 'policyName' },
      { name: 'description', valid: ['made by the fuzzer'] },
      { name: 'tagKey', valid: ['team'] },
      { name: 'tagValue', valid: ['fuzz'] },
    ],
    success: { ok: true, redirect: ['/console/iam/policies?created=', '/console/iam/policies/create?tab=json'] },
  },
  {
    name: 'add-permissions',
    method: 'POST',
    path: '/console/iam/users/:name/add-permissions',
    fields: 'form',
    session: 'signed-in',
    spec: [CSRF, { name: 'policyArn', valid: 'policyArn' }],
    success: { redirect: ['/console/iam/users/'] },
  },
  { name: 'detach', method: 'POST', path: '/console/iam/users/:name/detach', fields: 'form', session: 'signed-in', spec: [CSRF, { name: 'policyArn', valid: 'policyArn' }], success: { redirect: ['/console/iam/users/'] } },
  {
    name: 'key-options',
    method: 'POST',
    path: '/console/api/mfa/security-key/options',
    fields: 'json',
    session: 'signed-in',
    spec: [CSRF, { name: 'deviceName', valid: 'deviceName' }],
    success: { ok: true },
  },
  { name: 'key-verify', method: 'POST', path: '/console/api/mfa/security-key/verify', fields: 'json', session: 'signed-in', spec: [CSRF, { name: 'credential', valid: ['{}'] }], success: {} },
  { name: 'signin-options', method: 'POST', path: '/console/api/signin/options', fields: 'json', session: 'mfa-required', spec: [CSRF], success: { ok: true } },
  { name: 'signin-verify', method: 'POST', path: '/console/api/signin/verify', fields: 'json', session: 'mfa-required', spec: [CSRF, { name: 'credential', valid: ['{}'] }], success: {} },
  // Pages, with the query parameters they read: a GET changes nothing, whatever it carries.
  { name: 'entry', method: 'GET', path: '/console/', fields: 'query', session: 'anonymous', spec: [], success: { redirect: ['/console/signin', '/console/home'] } },
  { name: 'signin-page', method: 'GET', path: '/console/signin', fields: 'query', session: 'anonymous', spec: [], success: { ok: true, redirect: ['/console/home'] } },
  { name: 'mfa-page', method: 'GET', path: '/console/signin/mfa', fields: 'query', session: 'mfa-required', spec: [], success: { ok: true } },
  { name: 'home', method: 'GET', path: '/console/home', fields: 'query', session: 'signed-in', spec: [], success: { ok: true } },
  { name: 'dashboard', method: 'GET', path: '/console/iam', fields: 'query', session: 'signed-in', spec: [], success: { ok: true } },
  { name: 'users', method: 'GET', path: '/console/iam/users', fields: 'query', session: 'signed-in', spec: [], success: { ok: true } },
  { name: 'user', method: 'GET', path: '/console/iam/users/:name', fields: 'query', session: 'signed-in', spec: [{ name: 'notice', valid: ['policies-attached', 'policy-removed'] }], success: { ok: true } },
  { name: 'add-permissions-page', method: 'GET', path: '/console/iam/users/:name/add-permissions', fields: 'query', session: 'signed-in', spec: [], success: { ok: true } },
  { name: 'policies', method: 'GET', path: '/console/iam/policies', fields: 'query', session: 'signed-in', spec: [{ name: 'created', valid: 'policyName' }], success: { ok: true } },
  { name: 'create-policy-page', method: 'GET', path: '/console/iam/policies/create', fields: 'query', session: 'signed-in', spec: [{ name: 'tab', valid: ['json', 'visual'] }], success: { ok: true } },
  {
    name: 'credentials-page',
    method: 'GET',
    path: CREDENTIALS,
    fields: 'query',
    session: 'signed-in',
    spec: [{ name: 'mfa', valid: ['open'] }, { name: 'notice', valid: ['device-assigned', 'device-removed'] }],
    success: { ok: true },
  },
  { name: 'assign-page', method: 'GET', path: `${CREDENTIALS}/mfa/assign`, fields: 'query', session: 'signed-in', spec: [], success: { ok: true } },
  { name: 'security-key-page', method: 'GET', path: `${CREDENTIALS}/mfa/security-key`, fields: 'query', session: 'signed-in', spec: [{ name: 'name', valid: 'deviceName' }], success: { ok: true, redirect: [`${CREDENTIALS}/mfa/assign`] } },
];

// ---- inputs --------------------------------------------------------------------------------

/** A field's value: the valid one (possibly edited), another context's valid one, free text, or a non-string JSON value. */
export type FieldValue =
  | { from: 'valid'; choice: number; edit?: TextEdit }
  | { from: 'other' }
  | { from: 'text'; text: string }
  | { from: 'json'; value: unknown };

export interface Field {
  name: string;
  value: FieldValue;
}

/** How the session cookie is sent: as held, or tampered with. */
export type CookieEdit =
  | { kind: 'as-is' | 'absent' | 'empty' | 'quoted' | 'other-name' | 'padded' | 'among-others' | 'forged-first' | 'forged-last' | 'flip-case' }
  | { kind: 'forged'; id: string }
  | { kind: 'edit'; edit: TextEdit };

export type OriginChoice = 'own' | 'absent' | 'absent-cross-site' | 'absent-same-origin' | 'other-site' | 'null' | 'own-with-slash' | 'own-ip' | 'own-upper-case';

export type BodyEncoding =
  | { kind: 'urlencoded' }
  /** Hand-joined `name=value` pairs with percent-encoding broken at `at` (a fraction of the body). */
  | { kind: 'urlencoded-broken'; at: number; insert: string }
  | { kind: 'json' }
  | { kind: 'none' }
  | { kind: 'bytes'; bytes: Uint8Array };

export interface FormInput {
  route: string;
  session: SessionKind;
  cookie: CookieEdit;
  /** The `:name` path parameter. */
  pathName: FieldValue;
  fields: Field[];
  /** The page script's header; posts from forms carry none. */
  csrfHeader: FieldValue | undefined;
  origin: OriginChoice;
  encoding: BodyEncoding;
  /** `matching` is the encoding's own type. */
  contentType: string;
  contentEncoding: string | undefined;
}

/** A field's value; `validWeight` against 6 for the rest: the CSRF token is mostly right, so inputs get past it. */
const valueOf = (valid: FieldSpec['valid'], validWeight = 12): fc.Arbitrary<FieldValue> =>
  fc.oneof(
    { arbitrary: fc.record({ from: fc.constant('valid' as const), choice: fc.nat({ max: typeof valid === 'string' ? 0 : valid.length - 1 }) }), weight: validWeight },
    { arbitrary: fc.record({ from: fc.constant('valid' as const), choice: fc.nat({ max: 3 }), edit: textEdit }), weight: 2 },
    { arbitrary: fc.constant({ from: 'other' as const }), weight: 1 },
    { arbitrary: fc.record({ from: fc.constant('text' as const), text: anyText }), weight: 2 },
    { arbitrary: fc.record({ from: fc.constant('json' as const), value: fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 3 })) }), weight: 1 },
  );

const fieldName = fc.oneof(
  fc.constantFrom('_csrf', 'account', 'username', 'password', 'code', 'name', 'type', 'step', 'document', 'policyArn', 'serialNumber', 'credential', 'deviceName'),
  fc.constantFrom('__proto__', 'constructor', '_csrf[]', 'a[b]', 'a.b', '', '=', '&'),
  fc.string({ maxLength: 12 }),
  controlCharacter,
);

/** Each field kept, edited, dropped or repeated; then extra fields; then maybe shuffled. */
function fieldsOf(route: FormRoute): fc.Arbitrary<Field[]> {
  const perField = route.spec.map((spec) =>
    fc.oneof(
      { arbitrary: valueOf(spec.valid, spec === CSRF ? 40 : 12).map((value) => [{ name: spec.name, value }]), weight: spec === CSRF ? 24 : 12 },
      { arbitrary: fc.constant([]), weight: 1 },
      { arbitrary: fc.tuple(valueOf(spec.valid), valueOf(spec.valid)).map(([a, b]) => [{ name: spec.name, value: a }, { name: spec.name, value: b }]), weight: 1 },
    ),
  );
  const extra = fc.array(fc.record({ name: fieldName, value: valueOf(['x']) }), { maxLength: 3 });
  return fc.tuple(fc.tuple(...perField), extra, fc.boolean()).chain(([kept, more, shuffle]) => {
    const fields = [...kept.flat(), ...more];
    return shuffle ? fc.shuffledSubarray(fields, { minLength: fields.length, maxLength: fields.length }) : fc.constant(fields);
  });
}

const cookieEdit: fc.Arbitrary<CookieEdit> = fc.oneof(
  { arbitrary: fc.constant({ kind: 'as-is' as const }), weight: 30 },
  {
    arbitrary: fc.constantFrom(
      ...(['absent', 'empty', 'quoted', 'other-name', 'padded', 'among-others', 'forged-first', 'forged-last', 'flip-case'] as const).map((kind) => ({ kind })),
    ),
    weight: 3,
  },
  { arbitrary: fc.record({ kind: fc.constant('forged' as const), id: fc.oneof(fc.base64String({ minLength: 44, maxLength: 44 }), fc.string({ unit: 'grapheme-ascii', maxLength: 60 })) }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('edit' as const), edit: textEdit }), weight: 2 },
);

const originChoice: fc.Arbitrary<OriginChoice> = fc.oneof(
  { arbitrary: fc.constant('own' as const), weight: 30 },
  { arbitrary: fc.constantFrom('absent', 'absent-cross-site', 'absent-same-origin', 'other-site', 'null', 'own-with-slash', 'own-ip', 'own-upper-case') as fc.Arbitrary<OriginChoice>, weight: 3 },
);

const encodingFor = (route: FormRoute): fc.Arbitrary<BodyEncoding> => {
  const own: BodyEncoding = route.fields === 'json' ? { kind: 'json' } : { kind: 'urlencoded' };
  return fc.oneof(
    { arbitrary: fc.constant(own), weight: 20 },
    { arbitrary: fc.constantFrom<BodyEncoding>({ kind: 'urlencoded' }, { kind: 'json' }, { kind: 'none' }), weight: 2 },
    { arbitrary: fc.record({ kind: fc.constant('urlencoded-broken' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), insert: fc.constantFrom('%', '%z', '%zz', '%E0%A4', '%ff%fe', '%%', '&&', '==', '+', '%u0041', '%00', ';') }), weight: 2 },
    { arbitrary: fc.record({ kind: fc.constant('bytes' as const), bytes: fc.uint8Array({ maxLength: 256 }) }), weight: 1 },
  );
};

const contentType = fc.oneof(
  { arbitrary: fc.constant('matching'), weight: 20 },
  {
    arbitrary: fc.constantFrom(
      'application/x-www-form-urlencoded',
      'application/x-www-form-urlencoded; charset=utf-8',
      'application/x-www-form-urlencoded; charset=iso-8859-1',
      'application/x-www-form-urlencoded; charset=utf-16',
      'APPLICATION/X-WWW-FORM-URLENCODED',
      'application/json',
      'application/json; charset=utf-32',
      'application/merge-patch+json',
      'text/plain',
      'multipart/form-data; boundary=x',
      'application/x-www-form-urlencoded, application/json',
      'none',
      'a/b/c',
      ';',
    ),
    weight: 3,
  },
);

const contentEncoding = fc.oneof({ arbitrary: fc.constant(undefined), weight: 15 }, { arbitrary: fc.constantFrom('identity', 'gzip', 'deflate', 'br', 'x-unknown'), weight: 1 });

/** Which session a route is sent from: mostly the one a browser would have. */
const sessionFor = (route: FormRoute): fc.Arbitrary<SessionKind> =>
  fc.oneof({ arbitrary: fc.constant(route.session), weight: 12 }, { arbitrary: fc.constantFrom<SessionKind>('none', 'anonymous', 'mfa-required', 'signed-in'), weight: 2 });

const routeInput = (route: FormRoute): fc.Arbitrary<FormInput> =>
  fc.record({
    route: fc.constant(route.name),
    session: sessionFor(route),
    cookie: cookieEdit,
    pathName: valueOf('targetUser'),
    fields: fieldsOf(route),
    // The page script sends its token in a header; forms never do, but a forger might.
    csrfHeader: fc.oneof(
      { arbitrary: valueOf('csrfToken', 40), weight: route.fields === 'json' ? 10 : 1 },
      { arbitrary: fc.constant(undefined), weight: route.fields === 'json' ? 1 : 10 },
    ),
    origin: originChoice,
    encoding: encodingFor(route),
    contentType,
    contentEncoding,
  });

/** Routes whose success costs a password hash (scrypt), here or when the target signs in again, are drawn less often. */
const SCRYPT_ROUTES = new Set(['signin', 'password', 'signout']);
const routeWeight = (route: FormRoute): number => (SCRYPT_ROUTES.has(route.name) ? 1 : route.method === 'GET' ? 2 : 3);

export const formInput: fc.Arbitrary<FormInput> = fc.oneof(...FORM_ROUTES.map((route) => ({ arbitrary: routeInput(route), weight: routeWeight(route) })));

export const formRoute = (name: string): FormRoute => {
  const route = FORM_ROUTES.find((candidate) => candidate.name === name);
  if (!route) throw new Error(`no console route named ${name}`);
  return route;
};

// ---- resolving an input into a request ---------------------------------------------------------

export interface ResolveContext {
  known: KnownValues;
  /** The same values from elsewhere: another session's token, another user. */
  other: KnownValues;
}

/** A field's text as this input sends it (JSON values are kept for JSON bodies). */
function resolveValue(value: FieldValue, valid: FieldSpec['valid'], { known, other }: ResolveContext): unknown {
  switch (value.from) {
    case 'valid': {
      const base = typeof valid === 'string' ? known[valid] : valid[value.choice % valid.length];
      return value.edit ? applyTextEdit(base, value.edit) : base;
    }
    case 'other':
      return typeof valid === 'string' ? other[valid] : valid[valid.length - 1];
    case 'text':
      return value.text;
    case 'json':
      return value.value;
  }
}

const asText = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value) ?? '');

/** The valid-value spec of a field by name (extra fields take a literal). */
const specOf = (route: FormRoute, name: string): FieldSpec['valid'] => route.spec.find((spec) => spec.name === name)?.valid ?? ['x'];

export interface ResolvedFields {
  pairs: Array<[string, unknown]>;
  pathName: string;
  csrfHeader: string | undefined;
}

export function resolveFields(route: FormRoute, input: FormInput, context: ResolveContext): ResolvedFields {
  return {
    pairs: input.fields.map((field) => [field.name, resolveValue(field.value, specOf(route, field.name), context)]),
    pathName: asText(resolveValue(input.pathName, 'targetUser', context)),
    csrfHeader: input.csrfHeader === undefined ? undefined : asText(resolveValue(input.csrfHeader, 'csrfToken', context)),
  };
}

/** `name=value&...` as a browser encodes a form (URLSearchParams: UTF-8, `+` for space). */
const urlencoded = (pairs: ReadonlyArray<[string, unknown]>): string => new URLSearchParams(pairs.map(([name, value]) => [name, asText(value)])).toString();

/** A JSON object of the fields; a repeated name becomes an array, as a careless script would send it. */
function jsonBody(pairs: ReadonlyArray<[string, unknown]>): string {
  const body: Record<string, unknown> = {};
  for (const [name, value] of pairs) {
    const parsed = name === 'credential' && typeof value === 'string' ? safeJson(value) : value;
    if (!Object.prototype.hasOwnProperty.call(body, name)) Object.defineProperty(body, name, { value: parsed, enumerable: true, writable: true, configurable: true });
    else body[name] = [...(Array.isArray(body[name]) ? (body[name] as unknown[]) : [body[name]]), parsed];
  }
  return JSON.stringify(body);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function encodeBody(encoding: BodyEncoding, pairs: ReadonlyArray<[string, unknown]>): { body: string | Uint8Array | undefined; ownType: string | undefined } {
  switch (encoding.kind) {
    case 'urlencoded':
      return { body: urlencoded(pairs), ownType: 'application/x-www-form-urlencoded' };
    case 'urlencoded-broken': {
      const text = urlencoded(pairs);
      const at = Math.floor(encoding.at * text.length);
      return { body: text.slice(0, at) + encoding.insert + text.slice(at), ownType: 'application/x-www-form-urlencoded' };
    }
    case 'json':
      return { body: jsonBody(pairs), ownType: 'application/json' };
    case 'none':
      return { body: undefined, ownType: undefined };
    case 'bytes':
      return { body: encoding.bytes, ownType: 'application/octet-stream' };
  }
}
