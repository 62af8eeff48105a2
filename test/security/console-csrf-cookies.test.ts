// Console forms are protected against CSRF, and its cookies are HttpOnly and SameSite. The routes
// are read from the mounted express router itself, so a route added later is covered the day it
// appears: every state-changing one must refuse a request without the session's own CSRF token,
// or from another site, with 403 InvalidCsrfToken and no change to the IAM state (the store's
// write generation) or to the session; with the right token the same request does go through.
// Every Set-Cookie the console sends carries HttpOnly, SameSite=Strict and a Path; Secure comes
// with an https origin only, since browsers drop Secure cookies on http://localhost.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { randomBytes } from 'node:crypto';
import type { Express } from 'express';
import { mountConsole } from '../../emulator/console/index.ts';
import { startControlServer } from '../../emulator/control/control-server.ts';
import { startIamServer } from '../../emulator/iam/index.ts';
import { ACCOUNT, ADMIN, ALICE, attachWorkshopPolicies, createWorkshopUsers, rawConsoleRequest, startConsole, WORKSHOP_POLICY, type ConsoleEnv, type RawRequest } from '../console/support.ts';

interface Route {
  method: string;
  /** Under /console, e.g. `/iam/users/:name`. */
  path: string;
}

/** The minimal shape of express 5's router stack that the route listing needs. */
interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle: { stack?: Layer[] };
}

/** Every method + path the console router serves, read from the router mounted on the app. */
function consoleRoutes(app: Express): Route[] {
  const top = (app as unknown as { router: { stack: Layer[] } }).router.stack;
  const nested = top.flatMap((layer) => layer.handle.stack ?? []);
  return nested.flatMap((layer) => (layer.route ? Object.keys(layer.route.methods).map((method) => ({ method: method.toUpperCase(), path: layer.route!.path })) : []));
}

const SAFE = new Set(['GET', 'HEAD']);
const REGISTERED_ARN = 'arn:aws:iam::aws:policy/IAMUserChangePassword';

/**
 * For each state-changing route: a body that would change something if the CSRF check let it
 * through, and whether a request with the right token changes the IAM state (the check below
 * that the forgery would have mattered). A route missing here still gets every forgery, with `{}`.
 */
const BODIES: Record<string, { body: Record<string, string>; writes: boolean }> = {
  'POST /signin': { body: { account: ACCOUNT, username: ADMIN.userName, password: ADMIN.password }, writes: true },
  'POST /signin/mfa-code': { body: { code: '123456' }, writes: false },
  'POST /api/signin/options': { body: {}, writes: false },
  'POST /api/signin/verify': { body: {}, writes: false },
  'POST /signout': { body: {}, writes: false },
  'POST /iam/users/:name/add-permissions': { body: { policyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' }, writes: true },
  'POST /iam/users/:name/detach': { body: { policyArn: REGISTERED_ARN }, writes: true },
  'POST /iam/policies/create': { body: { step: 'create', name: 'Forged', document: WORKSHOP_POLICY }, writes: true },
  'POST /iam/security-credentials/mfa/assign': { body: { name: 'Forged', type: 'authenticator-app' }, writes: true },
  'POST /iam/security-credentials/mfa/authenticator-app': { body: { serialNumber: 'arn:aws:iam::123456789012:mfa/Forged', seed: 'AAAA', code1: '123456', code2: '654321' }, writes: false },
  'POST /iam/security-credentials/mfa/remove': { body: { serialNumber: 'arn:aws:iam::123456789012:mfa/Forged' }, writes: false },
  'POST /api/mfa/security-key/options': { body: { deviceName: 'Forged' }, writes: false },
  'POST /api/mfa/security-key/verify': { body: {}, writes: false },
  // Last among the writes: it changes the admin's password.
  'POST /iam/security-credentials/password': { body: { oldPassword: ADMIN.password, newPassword: 'Forged-Passw0rd!', confirmPassword: 'Forged-Passw0rd!' }, writes: true },
};

let env: ConsoleEnv;
let routes: Route[];
const setCookies: string[] = [];

test.before(async () => {
  env = await startConsole();
  await createWorkshopUsers(env.root);
  await attachWorkshopPolicies(env.root, [ALICE.userName]);
  routes = consoleRoutes(env.server.app);
});

test.after(async () => {
  await env.close();
});

/** A console request whose Set-Cookie headers are kept for the cookie test. */
async function request(path: string, options?: RawRequest) {
  const answer = await rawConsoleRequest(env, path, options);
  setCookies.push(...answer.headers.getSetCookie());
  return answer;
}

interface Session {
  cookie: string;
  csrf: string;
}

/** Signs in as a browser would (the sign-in page's token, then the form), and reads the signed-in page's token. */
async function signIn(who: { userName: string; password: string }): Promise<Session> {
  const page = await request('signin');
  const posted = await request('signin', { method: 'POST', cookie: page.cookie, form: { _csrf: page.csrf!, account: ACCOUNT, username: who.userName, password: who.password } });
  assert.is(posted.status, 303, `${who.userName} signs in`);
  const home = await request('iam', { cookie: posted.cookie });
  assert.is(home.status, 200);
  return { cookie: posted.cookie!, csrf: home.csrf! };
}

/** The route's path with its parameters filled in, relative to /console. */
const pathOf = (route: Route) => route.path.replace(':name', ALICE.userName).replace(/^\//, '');
const isApi = (route: Route) => route.path.startsWith('/api/');

/** The route's body, sent as its page sends it: a form with `_csrf`, or JSON with x-csrf-token. */
function send(route: Route, { cookie, token, headers = {} }: { cookie?: string; token?: string; headers?: Record<string, string> }) {
  const { body } = BODIES[`${route.method} ${route.path}`] ?? { body: {} };
  if (isApi(route)) return request(pathOf(route), { method: route.method, cookie, json: body, headers: { ...(token === undefined ? {} : { 'x-csrf-token': token }), ...headers } });
  return request(pathOf(route), { method: route.method, cookie, form: { ...body, ...(token === undefined ? {} : { _csrf: token }) }, headers });
}

test('the router serves GET and POST only, and the listing finds the console\'s forms', () => {
  const methods = new Set(routes.map((route) => route.method));
  assert.equal([...methods].sort(), ['GET', 'POST']);
  const posts = routes.filter((route) => !SAFE.has(route.method)).map((route) => `${route.method} ${route.path}`);
  assert.ok(posts.includes('POST /iam/policies/create') && posts.includes('POST /signin'), posts.join(', '));
  // Every route the table knows still exists (a renamed route must not leave its body behind).
  for (const known of Object.keys(BODIES)) assert.ok(posts.includes(known), `${known} is gone from the router`);
});

test('every state-changing route refuses forged requests with 403 InvalidCsrfToken, and nothing changes', async () => {
  const admin = await signIn(ADMIN);
  const alice = await signIn(ALICE);
  const forgeries: Array<{ what: string; cookie?: string; token?: string; headers?: Record<string, string> }> = [
    { what: 'no token', cookie: admin.cookie },
    { what: 'an empty token', cookie: admin.cookie, token: '' },
    { what: 'a made-up token', cookie: admin.cookie, token: randomBytes(32).toString('base64url') },
    { what: 'another session\'s token', cookie: admin.cookie, token: alice.csrf },
    { what: 'non-ASCII of the token\'s length', cookie: admin.cookie, token: 'é'.repeat(admin.csrf.length) },
    { what: 'the token without its session', token: admin.csrf },
    { what: 'the right token from another origin', cookie: admin.cookie, token: admin.csrf, headers: { origin: 'http://evil.example' } },
    { what: 'the right token from a cross-site page', cookie: admin.cookie, token: admin.csrf, headers: { 'sec-fetch-site': 'cross-site' } },
  ];
  const changing = routes.filter((route) => !SAFE.has(route.method));
  const generation = env.server.store.generation();
  for (const route of changing) {
    for (const forgery of forgeries) {
      const answer = await send(route, forgery);
      assert.equal([answer.status, answer.code], [403, 'InvalidCsrfToken'], `${route.method} ${route.path} with ${forgery.what}`);
    }
  }
  assert.is(env.server.store.generation(), generation, 'no IAM write');
  // Neither a forged sign-out nor anything else ended the sessions.
  for (const session of [admin, alice]) assert.is((await request('iam', { cookie: session.cookie })).status, 200);
});

test('the same requests with the session\'s own token go through: the forgeries would have mattered', async () => {
  for (const [key, { writes }] of Object.entries(BODIES)) {
    const route = routes.find((each) => `${each.method} ${each.path}` === key)!;
    const admin = await signIn(ADMIN);
    const generation = env.server.store.generation();
    const answer = await send(route, { cookie: admin.cookie, token: admin.csrf });
    assert.is.not(answer.code, 'InvalidCsrfToken', key);
    assert.ok(answer.status !== 403, `${key}: ${answer.status}`);
    if (writes) assert.is.not(env.server.store.generation(), generation, `${key} wrote to IAM`);
    if (key === 'POST /signout') assert.is((await request('iam', { cookie: admin.cookie })).location, '/console/signin', 'signed out');
  }
});

test('GET routes change no IAM state, which is why they need no token', async () => {
  const admin = await signIn({ ...ADMIN, password: 'Forged-Passw0rd!' });
  const generation = env.server.store.generation();
  for (const route of routes.filter((each) => each.method === 'GET')) {
    const answer = await request(pathOf(route), { cookie: admin.cookie });
    assert.ok(answer.status < 500, `GET ${route.path}: ${answer.status}`);
  }
  assert.is(env.server.store.generation(), generation);
});

test('every Set-Cookie the console sent in this suite is HttpOnly, SameSite=Strict, has a Path and no Secure on http', async () => {
  // More cookie-setting answers: the password step of a user with MFA, a stale cookie, a sign-out.
  await request('signin', { cookie: 'keyloop-console=stale' });
  const admin = await signIn({ ...ADMIN, password: 'Forged-Passw0rd!' });
  await request('signout', { method: 'POST', cookie: admin.cookie, form: { _csrf: admin.csrf } });
  assert.ok(setCookies.length >= 10, `${setCookies.length} cookies seen`);
  for (const line of setCookies) {
    const attributes = line.split(';').slice(1).map((part) => part.trim().toLowerCase());
    assert.ok(attributes.includes('httponly'), line);
    assert.ok(attributes.includes('samesite=strict') || attributes.includes('samesite=lax'), line);
    assert.ok(attributes.some((attribute) => attribute.startsWith('path=/')), line);
    assert.not.ok(attributes.includes('secure'), `${line}: a Secure cookie is never sent back over http://localhost`);
  }
  assert.ok(setCookies.some((line) => /Max-Age=0/.test(line)), 'the sign-out cookie was among them');
});

test('the IAM endpoint and the control port set no cookie; a console on an https origin adds Secure', async () => {
  const iam = await fetch(`${env.server.url}/`, { method: 'POST', body: 'Action=ListUsers' });
  assert.is(iam.status, 403);
  assert.equal(iam.headers.getSetCookie(), []);
  const control = await startControlServer({ keys: [], port: 0 });
  try {
    const keys = await fetch(`http://127.0.0.1:${control.port}/keys`);
    assert.is(keys.status, 200);
    assert.equal(keys.headers.getSetCookie(), []);
  } finally {
    await control.close();
  }
  const server = await startIamServer({ port: 0 });
  try {
    mountConsole(server, { origin: 'https://console.example' });
    const page = await fetch(`http://127.0.0.1:${server.port}/console/signin`);
    const cookie = page.headers.getSetCookie();
    assert.is(cookie.length, 1);
    assert.match(cookie[0], /; HttpOnly; SameSite=Strict; Secure$/);
  } finally {
    await server.close();
  }
});

test.run();
