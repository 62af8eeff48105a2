// User presence ("test-of-user-presence-required", 6985) under each policy, on an injected clock.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { StatusWord, formatPresencePolicy, loadProfile, parsePresencePolicy, type PresencePolicy } from '../../emulator/token/index.ts';
import { authenticateApdu, openToken, register, registerApdu, sha256, status } from './helpers.ts';

const app = sha256('https://presence.example');
const c = sha256('presence');

async function setup(presence: PresencePolicy, touchTimeoutMs = 3000) {
  let clock = 1_000_000;
  const profile = await loadProfile();
  const token = await openToken({ profile: { ...profile, presence, touchTimeoutMs }, now: () => clock });
  // A twin with the same device secret and presence on registers the handle used below.
  const twin = await openToken({ profile });
  const { registration } = await register(twin, app, c);
  await twin.close();
  const handle = registration.keyHandle;
  return {
    token,
    advance: (ms: number) => { clock += ms; },
    register: async () => status(await token.process(registerApdu(c, app))),
    sign: async (p1 = 3) => status(await token.process(authenticateApdu(p1, c, app, handle))),
  };
}

test('parsePresencePolicy: accepted forms and clear errors', () => {
  assert.equal(parsePresencePolicy('auto'), { mode: 'auto' });
  assert.equal(parsePresencePolicy('deny'), { mode: 'deny' });
  assert.equal(parsePresencePolicy('manual'), { mode: 'manual' });
  assert.equal(parsePresencePolicy('delay:250'), { mode: 'delay', ms: 250 });
  for (const text of ['', 'Auto', 'delay', 'delay:', 'delay:-1', 'delay:1.5', 'delay:abc', 'touch']) {
    assert.throws(() => parsePresencePolicy(text), (error: Error) => error instanceof TypeError && error.message.includes('delay:MS'), text);
  }
  for (const text of ['auto', 'deny', 'manual', 'delay:0', 'delay:1500']) assert.is(formatPresencePolicy(parsePresencePolicy(text)), text);
});

test('auto: every request proceeds', async () => {
  const t = await setup({ mode: 'auto' });
  for (let i = 0; i < 3; i++) {
    assert.is(await t.register(), StatusWord.NO_ERROR);
    assert.is(await t.sign(), StatusWord.NO_ERROR);
  }
  await t.token.close();
});

test('deny: REGISTER and P1 03 always 6985; P1 07 and 08 unaffected', async () => {
  const t = await setup({ mode: 'deny' });
  t.token.touch();
  assert.is(await t.register(), StatusWord.CONDITIONS_NOT_SATISFIED);
  assert.is(await t.sign(3), StatusWord.CONDITIONS_NOT_SATISFIED);
  assert.is(await t.sign(7), StatusWord.CONDITIONS_NOT_SATISFIED); // check-only: "handle is ours"
  assert.is(await t.sign(8), StatusWord.NO_ERROR);
  await t.token.close();
});

test('manual: 6985 until touch(); one touch serves one operation', async () => {
  const t = await setup({ mode: 'manual' });
  assert.is(await t.sign(), StatusWord.CONDITIONS_NOT_SATISFIED);
  assert.is(await t.register(), StatusWord.CONDITIONS_NOT_SATISFIED);
  t.token.touch();
  assert.is(await t.sign(), StatusWord.NO_ERROR);
  assert.is(await t.sign(), StatusWord.CONDITIONS_NOT_SATISFIED);
  t.token.touch();
  assert.is(await t.register(), StatusWord.NO_ERROR);
  assert.is(await t.register(), StatusWord.CONDITIONS_NOT_SATISFIED);
  await t.token.close();
});

test('manual: a touch expires after touchTimeoutMs; check-only does not spend it', async () => {
  const t = await setup({ mode: 'manual' }, 500);
  t.token.touch();
  t.advance(501);
  assert.is(await t.sign(), StatusWord.CONDITIONS_NOT_SATISFIED);
  t.token.touch();
  t.advance(500);
  assert.is(await t.sign(7), StatusWord.CONDITIONS_NOT_SATISFIED);
  assert.is(await t.sign(), StatusWord.NO_ERROR);
  await t.token.close();
});

test('delay: the first waiting request starts the timer; one operation proceeds after MS', async () => {
  const t = await setup({ mode: 'delay', ms: 1000 });
  assert.is(await t.sign(), StatusWord.CONDITIONS_NOT_SATISFIED);
  t.advance(600);
  assert.is(await t.sign(), StatusWord.CONDITIONS_NOT_SATISFIED);
  t.advance(399);
  assert.is(await t.register(), StatusWord.CONDITIONS_NOT_SATISFIED);
  t.advance(1);
  assert.is(await t.sign(), StatusWord.NO_ERROR);
  // The next operation waits its own full delay.
  assert.is(await t.sign(), StatusWord.CONDITIONS_NOT_SATISFIED);
  t.advance(1000);
  assert.is(await t.register(), StatusWord.NO_ERROR);
  await t.token.close();
});

test('delay:0 behaves like auto', async () => {
  const t = await setup({ mode: 'delay', ms: 0 });
  assert.is(await t.sign(), StatusWord.NO_ERROR);
  assert.is(await t.sign(), StatusWord.NO_ERROR);
  await t.token.close();
});

test('changing the policy at run time drops a pending touch and a running delay', async () => {
  const t = await setup({ mode: 'manual' });
  t.token.touch();
  t.token.presence = { mode: 'manual' };
  assert.is(await t.sign(), StatusWord.CONDITIONS_NOT_SATISFIED);
  t.token.presence = { mode: 'delay', ms: 100 };
  assert.is(await t.sign(), StatusWord.CONDITIONS_NOT_SATISFIED);
  t.advance(100);
  t.token.presence = { mode: 'delay', ms: 100 };
  assert.is(await t.sign(), StatusWord.CONDITIONS_NOT_SATISFIED);
  t.token.presence = { mode: 'auto' };
  assert.equal(t.token.presence, { mode: 'auto' });
  assert.is(await t.sign(), StatusWord.NO_ERROR);
  await t.token.close();
});

test.run();
