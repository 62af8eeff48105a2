// FIDO U2F Raw Message Formats v1.2, "Status Codes": every malformed request gets its status
// word from process(), which never throws.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { StatusWord, U2fToken, type ApduEvent } from '../../emulator/token/index.ts';
import { apdu, authenticateApdu, hex, openToken, register, registerApdu, sha256, status } from './helpers.ts';

let token: U2fToken;
const events: ApduEvent[] = [];
test.before(async () => {
  token = await openToken({ onApdu: (event) => events.push(event) });
});
test.after(() => token.close());

const sw = async (bytes: Uint8Array | number[]) => status(await token.process(bytes instanceof Uint8Array ? bytes : Uint8Array.from(bytes)));
const c = sha256('c');
const a = sha256('a');

test('VERSION answers U2F_V2 in every framing', async () => {
  for (const bytes of [[0, 3, 0, 0], [0, 3, 0, 0, 0], [0, 3, 0, 0, 0, 0, 0], [0, 3, 0, 0, 0, 0, 0, 0, 0]]) {
    const response = await token.process(Uint8Array.from(bytes));
    assert.is(Buffer.from(response).toString('latin1'), 'U2F_V2\x90\x00');
  }
});

test('CLA other than 0 is CLA_NOT_SUPPORTED', async () => {
  assert.is(await sw([0x80, 3, 0, 0]), StatusWord.CLA_NOT_SUPPORTED);
  assert.is(await sw(apdu(0x01, 0, new Uint8Array(64), { cla: 1 })), StatusWord.CLA_NOT_SUPPORTED);
});

test('unknown INS is INS_NOT_SUPPORTED (including CTAP2 and vendor bytes)', async () => {
  for (const ins of [0x00, 0x04, 0x10, 0x40, 0xc0, 0xff]) assert.is(await sw([0, ins, 0, 0]), StatusWord.INS_NOT_SUPPORTED);
});

test('lengths: short APDUs, bad Lc, wrong REGISTER/AUTHENTICATE/VERSION data', async () => {
  assert.is(await sw([]), StatusWord.WRONG_LENGTH);
  assert.is(await sw([0, 1, 0]), StatusWord.WRONG_LENGTH);
  assert.is(await sw([0, 1, 0, 0, 0, 0, 64, 1, 2]), StatusWord.WRONG_LENGTH); // Lc 64, 2 bytes
  for (const n of [0, 1, 63, 65, 128]) assert.is(await sw(apdu(0x01, 3, new Uint8Array(n))), StatusWord.WRONG_LENGTH, `REGISTER ${n}`);
  for (const n of [0, 32, 64]) assert.is(await sw(apdu(0x02, 3, new Uint8Array(n))), StatusWord.WRONG_LENGTH, `AUTHENTICATE ${n}`);
  assert.is(await sw(apdu(0x03, 0, Uint8Array.of(1))), StatusWord.WRONG_LENGTH);
});

test('AUTHENTICATE: L must match the key handle bytes exactly', async () => {
  const { registration } = await register(token, a, c);
  const good = authenticateApdu(3, c, a, registration.keyHandle);
  assert.is(await sw(good), StatusWord.NO_ERROR);
  const data = good.subarray(7, -2);
  for (const delta of [-1, 1]) {
    const changed = data.slice();
    changed[64] = registration.keyHandle.length + delta;
    assert.is(await sw(apdu(0x02, 3, changed)), StatusWord.WRONG_LENGTH, `L ${delta}`);
  }
  // Key handles L cannot express (> 255 bytes) never line up with the data: WRONG_LENGTH.
  assert.is(await sw(authenticateApdu(3, c, a, new Uint8Array(300))), StatusWord.WRONG_LENGTH);
});

test('AUTHENTICATE: P1 other than 03, 07, 08 is WRONG_DATA', async () => {
  const { registration } = await register(token, a, c);
  for (const p1 of [0x00, 0x01, 0x04, 0x09, 0x83, 0xff]) {
    assert.is(await sw(authenticateApdu(p1, c, a, registration.keyHandle)), StatusWord.WRONG_DATA, `P1 ${p1}`);
  }
});

test('AUTHENTICATE check-only: 6985 for our handle, 6A80 for another app', async () => {
  const { registration } = await register(token, a, c);
  assert.is(await sw(authenticateApdu(7, c, a, registration.keyHandle)), StatusWord.CONDITIONS_NOT_SATISFIED);
  assert.is(await sw(authenticateApdu(7, c, sha256('other'), registration.keyHandle)), StatusWord.WRONG_DATA);
});

test('a failing request returns only the status word; garbage never throws', async () => {
  for (let i = 0; i < 200; i++) {
    const bytes = new Uint8Array(i % 90).map((_, j) => (i * 31 + j * 17) & 0xff);
    const response = await token.process(bytes);
    assert.ok(response.length >= 2);
  }
  const response = await token.process(registerApdu(c, a).subarray(0, 20));
  assert.is(hex(response), '6700');
});

test('onApdu sees instruction and status names, with a reason on failure', async () => {
  events.length = 0;
  await token.process(Uint8Array.from([0, 3, 0, 0]));
  await token.process(Uint8Array.from([0, 0x42, 0, 0]));
  assert.is(events[0]!.instruction, 'VERSION');
  assert.is(events[0]!.statusName, 'NO_ERROR');
  assert.is(events[0]!.detail, undefined);
  assert.is(events[1]!.instruction, 'INS_42');
  assert.is(events[1]!.statusName, 'INS_NOT_SUPPORTED');
  assert.type(events[1]!.detail, 'string');
  assert.ok(events[1]!.durationMs >= 0);
});

test('a throwing onApdu hook does not change the answer', async () => {
  const noisy = await openToken({ onApdu: () => { throw new Error('recorder bug'); } });
  assert.is(status(await noisy.process(Uint8Array.from([0, 3, 0, 0]))), StatusWord.NO_ERROR);
  await noisy.close();
});

test('close() serves requests already queued; later ones get 6F00 instead of an exception', async () => {
  const closing = await openToken();
  const { app, registration } = await register(closing);
  const queued = Array.from({ length: 5 }, () => closing.process(authenticateApdu(3, c, app, registration.keyHandle)));
  await closing.close();
  for (const response of await Promise.all(queued)) assert.is(status(response), StatusWord.NO_ERROR);
  assert.is(status(await closing.process(Uint8Array.from([0, 3, 0, 0]))), StatusWord.NO_PRECISE_DIAGNOSIS);
});

test('wink() reaches the onWink hook', async () => {
  let winks = 0;
  const winking = await openToken({ onWink: () => winks++ });
  winking.wink();
  winking.wink();
  assert.is(winks, 2);
  await winking.close();
});

test.run();
