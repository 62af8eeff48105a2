// Console sessions and CSRF: the cookie's attributes, a new session id at every sign-in step,
// sign-out and expiry ending the session on the server, every state-changing request needing the
// session's CSRF token and the console's own Origin, escaping of what users type, bad bodies as
// errors of their own request, and no secret in the console's log.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ListPoliciesCommand } from '@aws-sdk/client-iam';
import { ConsoleClient } from '../../harness/browser/index.ts';
import { testClock, type TestClock } from '../iam/support.ts';
import { ACCOUNT, ADMIN, ALICE, attachWorkshopPolicies, createWorkshopUsers, openTestToken, rawConsoleRequest, signedInClient, startConsole, WORKSHOP_POLICY, type ConsoleEnv, type RawRequest } from './support.ts';

const SESSION_TTL_MS = 60 * 60 * 1000;

let env: ConsoleEnv;
let clock: TestClock;
const logged: string[] = [];

test.before(async () => {
  clock = testClock();
  env = await startConsole({
    iam: { clock: clock.now },
    console: { clock: clock.now, sessionTtlMs: SESSION_TTL_MS, logger: { info: (line) => logged.push(line), error: (line, error) => logged.push(`${line} ${String(error)}`) } },
  });
  await createWorkshopUsers(env.root);
  await attachWorkshopPolicies(env.root, [ALICE.userName]);
});

test.after(async () => {
  await env.close();
});

const raw = (path: string, request?: RawRequest) => rawConsoleRequest(env, path, request);

async function customerPolicyCount(): Promise<number> {
  return (await env.root.send(new ListPoliciesCommand({ Scope: 'Local' }))).Policies!.length;
}

test('the session cookie is HttpOnly, SameSite=Strict, scoped to /console and expires', async () => {
  const page = await raw('signin');
  assert.match(page.setCookie!, /^keyloop-console=[A-Za-z0-9_-]{43}; Path=\/console; Max-Age=600; HttpOnly; SameSite=Strict$/);
  const signedIn = await raw('signin', { method: 'POST', cookie: page.cookie, form: { _csrf: page.csrf!, account: ACCOUNT, username: ADMIN.userName, password: ADMIN.password } });
  assert.is(signedIn.status, 303);
  assert.match(signedIn.setCookie!, new RegExp(`; Path=/console; Max-Age=${SESSION_TTL_MS / 1000}; HttpOnly; SameSite=Strict$`));
});

test('sign-in gives a new session id; the old one, and the session after sign-out, open nothing', async () => {
  const page = await raw('signin');
  const signedIn = await raw('signin', { method: 'POST', cookie: page.cookie, form: { _csrf: page.csrf!, account: ACCOUNT, username: ADMIN.userName, password: ADMIN.password } });
  assert.is.not(signedIn.cookie, page.cookie);
  assert.equal([(await raw('iam', { cookie: page.cookie })).location], ['/console/signin']);
  const dashboard = await raw('iam', { cookie: signedIn.cookie });
  assert.is(dashboard.status, 200);
  const out = await raw('signout', { method: 'POST', cookie: signedIn.cookie, form: { _csrf: dashboard.csrf! } });
  assert.match(out.setCookie!, /Max-Age=0/);
  assert.is((await raw('iam', { cookie: signedIn.cookie })).location, '/console/signin');
});

test('posts without the session CSRF token, with another session\'s, or from another origin are refused, and change nothing', async () => {
  const admin = await signedInClient(env, ADMIN);
  const other = await signedInClient(env, ADMIN);
  const before = await customerPolicyCount();
  const create = { document: WORKSHOP_POLICY, step: 'create', name: 'Forged' };
  for (const token of ['', 'forged', other.csrfToken!]) {
    const page = await admin.postForm('iam/policies/create', { ...create, _csrf: token });
    assert.equal([page.status, page.alert?.code], [403, 'InvalidCsrfToken']);
  }
  const crossSite = new ConsoleClient({ baseUrl: `http://localhost:${env.server.port}/console`, origin: 'http://evil.example' });
  await crossSite.signIn({ account: ACCOUNT, ...ADMIN }).then((result) => assert.equal(result.ok ? 'signed in' : result.code, 'InvalidCsrfToken'));
  assert.equal((await admin.postJson('api/mfa/security-key/options', { deviceName: 'Key' }, { csrfToken: null })).status, 403);
  assert.equal((await admin.postJson('api/mfa/security-key/options', { deviceName: 'Key' }, { csrfToken: other.csrfToken })).body.code, 'InvalidCsrfToken');
  assert.is(await customerPolicyCount(), before);
  // The same form with the right token goes through.
  assert.equal(await admin.createPolicy({ name: 'WithToken', document: WORKSHOP_POLICY }), { ok: true, value: undefined });
});

test('pages need a session: IAM pages send anonymous visitors to sign in, the JSON API answers 401', async () => {
  assert.is((await raw('iam/users')).location, '/console/signin');
  assert.is((await raw('')).location, '/console/signin');
  const client = env.client();
  await client.get('signin');
  const answer = await client.postJson('api/mfa/security-key/options', { deviceName: 'Key' });
  assert.equal([answer.status, answer.body.code], [401, 'NotSignedIn']);
});

test('a wrong password, user or account gets the same answer, and what was typed comes back escaped', async () => {
  const attempts = [
    { account: ACCOUNT, userName: ADMIN.userName, password: 'wrong' },
    { account: ACCOUNT, userName: 'nobody', password: ADMIN.password },
    { account: '999999999999', userName: ADMIN.userName, password: ADMIN.password },
  ];
  for (const attempt of attempts) {
    assert.equal(await env.client().signIn(attempt), { ok: false, code: 'InvalidCredentials', message: 'Your authentication information is incorrect. Please try again.' });
  }
  const page = await raw('signin');
  const typed = '"><script>alert(1)</script>';
  const answer = await raw('signin', { method: 'POST', cookie: page.cookie, form: { _csrf: page.csrf!, account: typed, username: typed, password: 'x' } });
  assert.is(answer.status, 401);
  assert.not.match(answer.text, '<script>alert(1)');
  assert.match(answer.text, 'value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
});

test('the account alias and the dashed account id sign in too', async () => {
  env.server.store.accountAlias = 'keyloop-lab';
  try {
    for (const account of ['keyloop-lab', '1234-5678-9012']) {
      assert.equal(await env.client().signIn({ account, ...ADMIN }), { ok: true, value: { step: 'signed-in' } });
    }
  } finally {
    env.server.store.accountAlias = undefined;
  }
});

test('bad bodies and unknown pages are errors of that request only', async () => {
  const admin = await signedInClient(env, ADMIN);
  const page = await raw('signin');
  const malformed = await raw('api/signin/options', { method: 'POST', cookie: page.cookie, headers: { 'content-type': 'application/json', 'x-csrf-token': page.csrf! }, form: undefined });
  assert.is(malformed.status, 401);
  const broken = await fetch(`http://localhost:${env.server.port}/console/api/signin/verify`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: page.cookie! }, body: '{"credential": ' });
  assert.equal([broken.status, ((await broken.json()) as { code: string }).code], [400, 'BadRequest']);
  const huge = await raw('signin', { method: 'POST', cookie: page.cookie, form: { _csrf: page.csrf!, account: 'x'.repeat(300 * 1024) } });
  assert.is(huge.status, 413);
  const missing = await raw('api/nothing', { method: 'POST' });
  assert.equal([(await raw('no/such/page')).status, missing.status, JSON.parse(missing.text).code], [404, 404, 'NotFound']);
  assert.is((await admin.get('no/such/page')).alert?.code, 'NotFound');
  // And the console still serves.
  assert.is((await admin.get('iam')).status, 200);
});

test('pages carry a content security policy and refuse framing', async () => {
  const page = await raw('signin');
  assert.match(page.headers.get('content-security-policy')!, "script-src 'self'");
  assert.match(page.headers.get('content-security-policy')!, "frame-ancestors 'none'");
  assert.is(page.headers.get('x-frame-options'), 'DENY');
  assert.is(page.headers.get('x-content-type-options'), 'nosniff');
});

test('the console log names events but never passwords, session ids or CSRF tokens', async () => {
  const token = await openTestToken();
  try {
    const alice = await signedInClient(env, ALICE, token.browser(env.console.origin));
    assert.is((await alice.registerSecurityKey('LoggedKey')).ok, true);
    const text = logged.join('\n');
    assert.match(text, /alice registered security key arn:aws:iam::123456789012:u2f\/user\/alice\/LoggedKey-/);
    for (const secret of [ALICE.password, ADMIN.password, alice.csrfToken!]) assert.not.match(text, secret);
    assert.not.match(text, /keyloop-console=/);
  } finally {
    await token.close();
  }
});

// Last: it moves the clock past the lifetime of the SDK's signatures as well.
test('sessions expire: a signed-in session after its lifetime, the password step after ten minutes', async () => {
  const admin = await signedInClient(env, ADMIN);
  assert.is((await admin.get('iam')).status, 200);
  clock.advance(SESSION_TTL_MS + 1);
  assert.match((await admin.get('iam')).url, /\/console\/signin$/);
  // The password step (alice has a key from the log test) lasts ten minutes.
  const alice = env.client();
  assert.equal(await alice.signIn({ account: ACCOUNT, ...ALICE }), { ok: true, value: { step: 'mfa-required', methods: ['security-key'] } });
  clock.advance(10 * 60 * 1000 + 1);
  assert.equal((await alice.postJson('api/signin/options', {})).body.code, 'InvalidCsrfToken');
  assert.match((await alice.get('signin/mfa')).url, /\/console\/signin$/);
});

test.run();
