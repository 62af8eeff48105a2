// Every console form and page (emulator/console/routes/) fed generated and mutated requests:
// fields missing, repeated, retyped, huge, with Unicode, control characters and markup; CSRF
// tokens missing, edited or another session's; Origins of other sites; wrong content types and
// broken urlencoding; session cookies edited or forged. Each answer must follow the console's
// rules (console-answers.ts); a request that did not succeed must not have written IAM state
// nor touched the session it came from; and the sessions and a new sign-in keep working.
import { totpCode, totpStep } from '../../emulator/iam/index.ts';
import { defineFuzzTarget } from '../fuzz-target.ts';
import { answerLabel, readAnswer, type ConsoleAnswer } from '../generators/console-answers.ts';
import {
  encodeBody,
  formInput,
  formRoute,
  resolveFields,
  type CookieEdit,
  type FormInput,
  type FormRoute,
  type KnownValues,
  type OriginChoice,
  type SessionKind,
} from '../generators/console-forms.ts';
import type { ConsoleRequest, ConsoleResponse } from '../generators/console-http.ts';
import { anonymousSession, passwordSession, type HeldSession } from '../generators/console-sessions.ts';
import { assignAuthenticatorApp, createScopedUser, IamStateWatch, signInAs, startFuzzConsole, type AuthenticatorApp, type FuzzConsole } from '../generators/console-site.ts';
import { applyTextEdit } from '../generators/console-values.ts';
import { ACCOUNT, createConsoleUser } from '../../test/console/support.ts';

const FORMS_USER = { userName: 'fz-forms', password: 'Fz-Forms-Passw0rd!' };
const MFA_USER = { userName: 'fz-mfa', password: 'Fz-Mfa-Passw0rd!' };
const TARGET_USER = { userName: 'fz-target', password: 'Fz-Target-Passw0rd!' };
const APP_NAME = 'fz-app-1';
const POLICY_NAME = 'fz-policy-1';
const arn = (resource: string) => `arn:aws:iam::${ACCOUNT}:${resource}`;

/**
 * What the forms user may do: read everything, and write only named things, so that inputs that
 * succeed reach deep states (a policy, a virtual MFA device, attachments) yet the state they can
 * build stays small: one policy name, one device name, one target user, its own password.
 */
const FORMS_SCOPE = {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: ['iam:Get*', 'iam:List*'], Resource: '*' },
    { Effect: 'Allow', Action: ['iam:ChangePassword', 'iam:EnableMFADevice', 'iam:DeactivateMFADevice'], Resource: arn(`user/${FORMS_USER.userName}`) },
    { Effect: 'Allow', Action: 'iam:CreateVirtualMFADevice', Resource: arn(`mfa/${APP_NAME}`) },
    { Effect: 'Allow', Action: ['iam:CreatePolicy', 'iam:TagPolicy'], Resource: arn(`policy/${POLICY_NAME}`) },
    { Effect: 'Allow', Action: ['iam:AttachUserPolicy', 'iam:DetachUserPolicy'], Resource: arn(`user/${TARGET_USER.userName}`) },
  ],
};

const POLICY_DOCUMENT = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*' }] });

/** Probe the held sessions this often, and sign in afresh (scrypt) less often. */
const PROBE_EVERY = 32;
const SIGN_IN_EVERY = 512;
/** New sessions stay far below the console's 10 000 before the held ones could be evicted. */
const RENEW_EVERY = 2000;

interface Context {
  site: FuzzConsole;
  iam: IamStateWatch;
  app: AuthenticatorApp;
  /** The forms user's password: a successful change makes the new one current. */
  password: string;
  /** Sessions held for inputs, by the state they are in; made again when an input ends one. */
  held: Map<Exclude<SessionKind, 'none'>, HeldSession>;
  inputs: number;
}

async function heldSession(context: Context, kind: SessionKind): Promise<HeldSession | undefined> {
  if (kind === 'none') return undefined;
  const existing = context.held.get(kind);
  if (existing) return existing;
  const { http, origin } = context.site;
  const made =
    kind === 'anonymous'
      ? await anonymousSession(http)
      : await passwordSession(http, signInAs(kind === 'signed-in' ? { ...FORMS_USER, password: context.password } : MFA_USER), origin);
  context.held.set(kind, made);
  return made;
}

/** The code the authenticator app shows now that the console has not accepted yet. */
function currentCode(context: Context): string {
  const device = context.site.env.server.store.mfa.findVirtual(context.app.serialNumber);
  const now = totpStep(Date.now()) + (device?.driftSteps ?? 0);
  const step = Math.min(Math.max(now - 1, (device?.lastStep ?? -Infinity) + 1), now + 1);
  return totpCode(context.app.seedBase32, step);
}

function knownValues(context: Context, session: HeldSession | undefined): { known: KnownValues; other: KnownValues } {
  const otherSession = session === context.held.get('signed-in') ? context.held.get('anonymous') : context.held.get('signed-in');
  const known: KnownValues = {
    csrfToken: session?.csrfToken ?? '',
    account: ACCOUNT,
    userName: FORMS_USER.userName,
    password: context.password,
    newPassword: `Fz-${context.inputs}-Passw0rd!`,
    mfaCode: currentCode(context),
    deviceName: APP_NAME,
    serialNumber: arn(`mfa/${APP_NAME}`),
    policyDocument: POLICY_DOCUMENT,
    policyName: POLICY_NAME,
    policyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess',
    targetUser: TARGET_USER.userName,
  };
  const other: KnownValues = {
    ...known,
    csrfToken: otherSession?.csrfToken ?? '',
    account: '1234-5678-9012',
    userName: MFA_USER.userName,
    password: MFA_USER.password,
    newPassword: 'short',
    mfaCode: '000000',
    deviceName: 'fz-app-2',
    serialNumber: context.app.serialNumber,
    policyName: 'fz-policy-2',
    policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess',
    targetUser: FORMS_USER.userName,
  };
  return { known, other };
}

/** UTF-8 bytes, percent-encoded except RFC 3986's unreserved characters (lone surrogates become U+FFFD). */
const percentEncode = (text: string): string =>
  [...Buffer.from(text, 'utf8')].map((byte) => (/[A-Za-z0-9\-._~]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`)).join('');

/** A header value as bytes on the wire: UTF-8, minus what HTTP forbids in a field value. */
const headerValue = (text: string): string => Buffer.from(text, 'utf8').toString('latin1').replace(/[^\t\x20-\x7e\x80-\xff]/g, '');

function cookieHeader(edit: CookieEdit, session: HeldSession | undefined): string | undefined {
  const id = session?.cookie.slice('keyloop-console='.length) ?? '';
  const forged = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
  switch (edit.kind) {
    case 'as-is':
      return session?.cookie;
    case 'absent':
      return undefined;
    case 'empty':
      return 'keyloop-console=';
    case 'quoted':
      return `keyloop-console="${id}"`;
    case 'other-name':
      return `keyloop-console-2=${id}`;
    case 'padded':
      return `  keyloop-console = ${id} ;`;
    case 'among-others':
      return `a=b; keyloop-console=${id}; c=d`;
    case 'forged-first':
      return `keyloop-console=${forged}; keyloop-console=${id}`;
    case 'forged-last':
      return `keyloop-console=${id}; keyloop-console=${forged}`;
    case 'flip-case':
      return `KEYLOOP-CONSOLE=${id}`;
    case 'forged':
      return `keyloop-console=${edit.id}`;
    case 'edit':
      return `keyloop-console=${applyTextEdit(id, edit.edit)}`;
  }
}

function originHeaders(choice: OriginChoice, origin: string): Record<string, string> {
  switch (choice) {
    case 'own':
      return { origin };
    case 'absent':
      return {};
    case 'absent-cross-site':
      return { 'sec-fetch-site': 'cross-site' };
    case 'absent-same-origin':
      return { 'sec-fetch-site': 'same-origin' };
    case 'other-site':
      return { origin: 'http://evil.example' };
    case 'null':
      return { origin: 'null' };
    case 'own-with-slash':
      return { origin: `${origin}/` };
    case 'own-ip':
      return { origin: origin.replace('localhost', '127.0.0.1') };
    case 'own-upper-case':
      return { origin: origin.toUpperCase() };
  }
}

function requestOf(route: FormRoute, input: FormInput, session: HeldSession | undefined, values: ReturnType<typeof knownValues>, origin: string): ConsoleRequest {
  const { pairs, pathName, csrfHeader } = resolveFields(route, input, values);
  let path = route.path.replace(':name', percentEncode(pathName));
  const headers: Record<string, string> = { ...originHeaders(input.origin, origin) };
  const cookie = cookieHeader(input.cookie, session);
  if (cookie !== undefined) headers.cookie = headerValue(cookie);
  if (csrfHeader !== undefined) headers['x-csrf-token'] = headerValue(csrfHeader);
  if (route.method === 'GET') {
    const { body } = encodeBody(input.encoding.kind === 'json' || input.encoding.kind === 'none' ? { kind: 'urlencoded' } : input.encoding, pairs);
    const query = typeof body === 'string' ? body.replace(/[^\x21-\x7e]/g, (char) => percentEncode(char)) : percentEncode(Buffer.from(body ?? []).toString('latin1'));
    if (query !== '') path += `?${query}`;
    return { method: 'GET', path, headers };
  }
  const { body, ownType } = encodeBody(input.encoding, pairs);
  const type = input.contentType === 'matching' ? ownType : input.contentType === 'none' ? undefined : input.contentType;
  if (type !== undefined) headers['content-type'] = type;
  if (input.contentEncoding !== undefined) headers['content-encoding'] = input.contentEncoding;
  return { method: 'POST', path, headers, body };
}

/** Whether the answer is the route's success: only then may IAM state or the session change. */
function succeeded(route: FormRoute, answer: ConsoleAnswer): boolean {
  if (answer.kind === 'redirect') return (route.success.redirect ?? []).some((prefix) => answer.location.startsWith(prefix));
  if (answer.kind === 'json') return answer.ok && route.success.ok === true;
  if (answer.kind === 'http-parser') return false;
  return answer.status === 200 && route.success.ok === true && answer.alert?.kind !== 'error';
}

/** Answers that may set the session cookie: the sign-in steps, sign-out, and the sign-in page making a session. */
const MAY_SET_COOKIE = new Set(['signin', 'mfa-code', 'signout', 'signin-verify', 'signin-page']);

/** The single string a field was sent with, as the console's `field()` reads it (undefined when repeated or not text). */
function sentField(route: FormRoute, input: FormInput, values: ReturnType<typeof knownValues>, name: string): string | undefined {
  const sent = resolveFields(route, input, values).pairs.filter(([field]) => field === name);
  return sent.length === 1 && typeof sent[0][1] === 'string' ? sent[0][1] : undefined;
}

/** The forms user's password is still the one the target knows (a scrypt: only after a write). */
const passwordUnchanged = (context: Context): boolean => context.site.env.server.store.loginProfiles.verifyPassword(FORMS_USER.userName, context.password);

async function probeHeldSessions(context: Context): Promise<void> {
  const { http } = context.site;
  const probes: Array<[Exclude<SessionKind, 'none'>, string]> = [
    ['anonymous', '/console/signin'],
    ['mfa-required', '/console/signin/mfa'],
    ['signed-in', '/console/iam/security-credentials'],
  ];
  for (const [kind, path] of probes) {
    const session = context.held.get(kind);
    if (!session) continue;
    const page = await http.send({ method: 'GET', path, headers: { cookie: session.cookie } });
    if (page.status !== 200 || page.setCookie.length > 0) {
      throw new Error(`the held ${kind} session stopped working: GET ${path} answered ${page.status}${page.setCookie.length > 0 ? ' with a new session cookie' : ''}`);
    }
  }
}

async function assertSignInWorks(context: Context): Promise<void> {
  const session = await passwordSession(context.site.http, signInAs({ ...FORMS_USER, password: context.password }), context.site.origin);
  if (session.location !== '/console/home') throw new Error(`a valid sign-in landed on ${session.location}, not /console/home`);
}

function describeInput(route: FormRoute, request: ConsoleRequest, response: ConsoleResponse, failures: string[]): string {
  const body = request.body === undefined ? '' : typeof request.body === 'string' ? request.body.slice(0, 300) : `${request.body.length} bytes`;
  return `${request.method} ${request.path.slice(0, 200)} (${route.name}) ${JSON.stringify(request.headers)} ${body}\n-> ${response.status} ${response.location ?? ''}${failures.length > 0 ? `\nconsole logged: ${failures.join('\n')}` : ''}`;
}

export default defineFuzzTarget<Context, FormInput>({
  name: 'console-forms',
  surface: 'mock console forms and pages over HTTP: fields, CSRF, Origin, content types, urlencoding, session cookies',
  input: formInput,
  async setup() {
    const site = await startFuzzConsole();
    const { root } = site.env;
    await createScopedUser(root, FORMS_USER, FORMS_SCOPE);
    await createConsoleUser(root, MFA_USER);
    await createConsoleUser(root, TARGET_USER);
    const app = await assignAuthenticatorApp(root, MFA_USER.userName, 'fz-mfa-app');
    const iam = new IamStateWatch(site.env.server.store);
    const context: Context = { site, iam, app, password: FORMS_USER.password, held: new Map(), inputs: 0 };
    await assertSignInWorks(context);
    return context;
  },
  async execute(context, input) {
    context.inputs += 1;
    const { site } = context;
    if (context.inputs % RENEW_EVERY === 0) context.held.clear();
    const route = formRoute(input.route);
    // The other sessions exist first, so that "another session's token" is a real one.
    await heldSession(context, 'anonymous');
    await heldSession(context, 'signed-in');
    const session = await heldSession(context, input.session);
    const values = knownValues(context, session);
    const request = requestOf(route, input, session, values, site.origin);
    context.iam.mark();
    const response = await site.http.send(request);
    const failures = site.takeFailures();
    let answer: ConsoleAnswer;
    try {
      answer = readAnswer(response, route.fields === 'json' ? 'json' : 'page');
    } catch (error) {
      throw new Error(`${(error as Error).message}\ninput: ${describeInput(route, request, response, failures)}`);
    }
    const success = succeeded(route, answer);
    const state = context.iam.since();
    if (!success && (state === 'changed' || (state === 'restored' && !passwordUnchanged(context)))) {
      throw new Error(`IAM state changed although the request did not succeed (${answerLabel(answer)})\ninput: ${describeInput(route, request, response, failures)}`);
    }
    if (response.setCookie.length > 0 && !(MAY_SET_COOKIE.has(route.name) && success)) {
      throw new Error(`a session cookie was set by ${route.name} answering ${answerLabel(answer)}\ninput: ${describeInput(route, request, response, failures)}`);
    }
    if (answer.kind === 'page' && route.method === 'POST' && answer.status === 200 && answer.alert?.kind === 'error') {
      throw new Error(`a failed form post answered 200 (${answer.alert.code})\ninput: ${describeInput(route, request, response, failures)}`);
    }
    // The input ended or replaced the session it came from: make a new one when next needed.
    if (session && response.setCookie.length > 0) context.held.delete(input.session as Exclude<SessionKind, 'none'>);
    if (route.name === 'password' && answer.kind === 'page' && answer.alert?.code === 'PasswordChanged') {
      context.password = sentField(route, input, values, 'newPassword') ?? context.password;
    }
    if (context.inputs % PROBE_EVERY === 0) await probeHeldSessions(context);
    if (context.inputs % SIGN_IN_EVERY === 0) await assertSignInWorks(context);
    return `${route.name} ${answerLabel(answer)}`;
  },
  async teardown(context) {
    try {
      await probeHeldSessions(context);
      await assertSignInWorks(context);
    } finally {
      await context.site.close();
    }
  },
});
