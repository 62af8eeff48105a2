// MAC, signature, token, password-hash and one-time-code comparisons are constant-time. A scan of
// emulator/ and harness/ finds every comparison involving a secret-like name and fails unless it
// goes through constantTimeEqual (or is listed below as comparing nothing secret); raw
// timingSafeEqual, which throws on inputs of different lengths, appears only inside the helper.
// The helper and the code it now guards are checked for correct answers on every kind of input.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fileURLToPath } from 'node:url';
import { hashPassword, verifyPassword } from '../../emulator/iam/passwords.ts';
import { findCode, findConsecutiveCodes, totpCode } from '../../emulator/iam/totp.ts';
import { constantTimeEqual } from '../../emulator/util/constant-time.ts';
import { findCalls, findSecretComparisons, readSources, type Comparison } from './secret-comparisons.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const HELPER = 'emulator/util/constant-time.ts';

/** Comparisons the scan finds that involve no secret the server holds, and why. */
const NOT_SECRET: ReadonlyArray<{ file: string; name: string; why: string }> = [
  {
    file: 'emulator/console/routes/security-credentials.ts',
    name: 'newPassword',
    why: 'the new password against its confirmation, both typed into the same form: nothing stored is compared',
  },
];

const allowed = (comparison: Comparison) => NOT_SECRET.some(({ file, name }) => comparison.file === file && comparison.name === name);

test('no comparison of a secret-like value in emulator/ or harness/ uses ===, !==, .equals() or compare()', async () => {
  const sources = await readSources(ROOT, ['emulator', 'harness']);
  assert.ok(sources.length > 200, `scanned ${sources.length} files`);
  const comparisons = sources.flatMap(({ file, text }) => findSecretComparisons(file, text));
  const offending = comparisons.filter((comparison) => !allowed(comparison)).map(({ file, line, text }) => `${file}:${line}: ${text}`);
  assert.equal(offending, [], 'use constantTimeEqual from emulator/util/constant-time.ts');
  // Every exemption still names a comparison that exists, so none outlives its reason.
  for (const exemption of NOT_SECRET) assert.ok(comparisons.some((c) => c.file === exemption.file && c.name === exemption.name), `stale exemption ${exemption.file} ${exemption.name}`);
});

test('the scan finds the comparisons it is meant to, and passes over constant-time ones and tests of shape', () => {
  const source = `
    if (sent !== session.csrfToken) deny();
    if (headers['x-amz-security-token'] != session.sessionToken) deny();
    if (totpCode(seed, step) === code) accept();
    if (given.signature.equals(expected)) accept();
    if (Buffer.compare(mac, expectedMac) === 0) accept();
    if (hmac(key, data) == tag) accept();
    if (keyHandle === other) accept();
    if (stored.passwordHash === hashOf(typed)) accept();
    if (constantTimeEqual(sent, session.csrfToken)) accept();
    if (sent.length !== session.csrfToken.length) deny();
    if (session.sessionToken === undefined || typeof secret !== 'string') deny();
    if (signature === null || code === 'AccessDenied' || tag !== scenario.suite) deny();
    if (handle.length !== KEY_HANDLE_LENGTH) deny();
  `;
  const found = findSecretComparisons('example.ts', source).map((c) => [c.line, c.name]);
  assert.equal(found, [
    [2, 'csrfToken'],
    [3, 'x-amz-security-token'],
    [4, 'totpCode'],
    [5, 'signature'],
    [6, 'mac'],
    [7, 'hmac'],
    [8, 'keyHandle'],
    [9, 'passwordHash'],
  ]);
});

test('timingSafeEqual, which throws on inputs of different lengths, is called only inside the constant-time helper', async () => {
  const sources = await readSources(ROOT, ['emulator', 'harness']);
  const callers = sources.filter(({ file, text }) => findCalls(file, text, 'timingSafeEqual').length > 0).map(({ file }) => file);
  assert.equal(callers, [HELPER]);
  assert.equal(findCalls('example.ts', 'crypto.timingSafeEqual(a, b);\n// timingSafeEqual(c, d)\ntimingSafeEqual(e, f);', 'timingSafeEqual'), [1, 3]);
});

test('constantTimeEqual: right answers for equal, different, longer, shorter, empty and multi-byte inputs, never a throw', () => {
  const token = 'Wm9vLXRva2VuLWZvci10ZXN0aW5nLW9ubHktMzJieXRlcw';
  assert.is(constantTimeEqual(token, token), true);
  assert.is(constantTimeEqual(token, `${token}`.slice(0)), true);
  assert.is(constantTimeEqual(Buffer.from(token), token), true, 'bytes against their UTF-8 string');
  assert.is(constantTimeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 3])), true);
  assert.is(constantTimeEqual('', ''), true);
  const flip = (text: string, at: number) => `${text.slice(0, at)}${text[at] === 'A' ? 'B' : 'A'}${text.slice(at + 1)}`;
  for (const at of [0, 1, token.length >> 1, token.length - 1]) assert.is(constantTimeEqual(token, flip(token, at)), false, `differs at ${at}`);
  for (const other of ['', token.slice(0, -1), `${token}A`, token.slice(1), 'x', 'é'.repeat(token.length), '\u0000'.repeat(token.length)]) {
    assert.is(constantTimeEqual(token, other), false, JSON.stringify(other));
    assert.is(constantTimeEqual(other, token), false, JSON.stringify(other));
  }
  // The same length in characters, another length in bytes: the input that made a raw timingSafeEqual throw.
  assert.is(constantTimeEqual('a'.repeat(4), 'é'.repeat(4)), false);
  assert.is(constantTimeEqual(new Uint8Array(0), new Uint8Array(32)), false);
});

test('passwords: the right one matches, any other does not, and a stored hash with an empty or short key matches nothing', () => {
  const stored = hashPassword('Corr3ct-Horse!');
  assert.is(verifyPassword('Corr3ct-Horse!', stored), true);
  for (const wrong of ['', 'corr3ct-Horse!', 'Corr3ct-Horse!!', 'Corr3ct-Hors']) assert.is(verifyPassword(wrong, stored), false, wrong);
  const [scheme, salt] = stored.split('$');
  // A damaged state file: with an empty key, scrypt of length 0 equalled it for every password.
  for (const key of ['', 'AAAA', Buffer.alloc(31).toString('base64')]) {
    assert.is(verifyPassword('anything', `${scheme}$${salt}$${key}`), false, `key ${JSON.stringify(key)}`);
    assert.is(verifyPassword('', `${scheme}$${salt}$${key}`), false);
  }
});

test('TOTP codes: the step of a right code, nothing for a wrong one; consecutive codes need both right', () => {
  const seed = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
  const search = { seedBase32: seed, aroundStep: 1000, window: 1 };
  assert.is(findCode(search, totpCode(seed, 1001)), 1001);
  assert.is(findCode(search, totpCode(seed, 1003)), undefined);
  assert.is(findCode({ ...search, after: 1001 }, totpCode(seed, 1001)), undefined, 'a used step');
  assert.is(findConsecutiveCodes(search, totpCode(seed, 999), totpCode(seed, 1000)), 1000);
  assert.is(findConsecutiveCodes(search, totpCode(seed, 998), totpCode(seed, 1000)), undefined, 'first code wrong');
  assert.is(findConsecutiveCodes(search, totpCode(seed, 999), totpCode(seed, 1001)), undefined, 'second code wrong');
  assert.is(findConsecutiveCodes(search, totpCode(seed, 999), '12345'), undefined, 'a short code');
});

test.run();
