// CTAPHID device behaviour (CTAP 2.1 section 11.2), one test per rule in PROTOCOLS.md, on codes.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ChannelTable } from '../../emulator/ctaphid/channel-table.ts';
import {
  BROADCAST_CID,
  Capability,
  CtaphidCommand,
  CtaphidError,
  KeepaliveStatus,
  MAX_MESSAGE_SIZE,
} from '../../emulator/ctaphid/constants.ts';
import { fragmentMessage } from '../../emulator/ctaphid/framing.ts';
import { parseInitResponse } from '../../emulator/ctaphid/init-response.ts';
import type { ReportEvent } from '../../emulator/ctaphid/report-event.ts';
import { DeviceRig, NONCE, counterRandom, delay, echoApplet, errorCode, slowApplet, waitFor } from './helpers.ts';

const { PING, MSG, LOCK, INIT, WINK, CANCEL, CBOR, KEEPALIVE, ERROR } = CtaphidCommand;
const bytes = (n: number, seed = 0) => Uint8Array.from({ length: n }, (_, i) => (i + seed) & 0xff);

test('INIT on broadcast allocates a new CID and reports version and capabilities (WINK only)', () => {
  const rig = new DeviceRig(echoApplet(), { deviceVersion: { major: 3, minor: 4, build: 5 } });
  rig.send(BROADCAST_CID, INIT, NONCE);
  rig.send(BROADCAST_CID, INIT, NONCE);
  const [first, second] = rig.take();
  assert.is(first.cid, BROADCAST_CID);
  assert.is(first.command, INIT);
  const info = parseInitResponse(first.payload)!;
  assert.equal(info.nonce, NONCE);
  assert.is(info.cid, 1);
  assert.is(info.protocolVersion, 2);
  assert.equal(info.deviceVersion, { major: 3, minor: 4, build: 5 });
  assert.is(info.capabilities, Capability.WINK);
  assert.is(info.capabilities & (Capability.CBOR | Capability.NMSG), 0);
  assert.is(parseInitResponse(second.payload)!.cid, 2);
  rig.close();
});

test('an applet without wink(): no WINK capability, WINK is ERR_INVALID_CMD', () => {
  const rig = new DeviceRig({ process: async (r) => r });
  rig.send(BROADCAST_CID, INIT, NONCE);
  assert.is(parseInitResponse(rig.take()[0].payload)!.capabilities, 0);
  rig.send(1, WINK);
  assert.is(errorCode(rig.take()[0]), CtaphidError.INVALID_CMD);
  rig.close();
});

test('INIT with a payload other than 8 bytes: ERR_INVALID_LEN', () => {
  const rig = new DeviceRig(echoApplet());
  rig.send(BROADCAST_CID, INIT, bytes(7));
  rig.send(BROADCAST_CID, INIT, bytes(9));
  assert.equal(rig.take().map(errorCode), [CtaphidError.INVALID_LEN, CtaphidError.INVALID_LEN]);
  const cid = rig.open();
  rig.send(cid, INIT, bytes(0));
  assert.equal(rig.take().map(errorCode), [CtaphidError.INVALID_LEN]);
  rig.close();
});

test('PING echoes 0, 57, 58 and 7609 bytes', () => {
  const rig = new DeviceRig(echoApplet());
  const cid = rig.open();
  for (const size of [0, 57, 58, MAX_MESSAGE_SIZE]) {
    rig.send(cid, PING, bytes(size, size));
    assert.equal(rig.take(), [{ cid, command: PING, payload: bytes(size, size) }]);
  }
  rig.close();
});

test('MSG goes to the applet and its answer comes back; empty MSG is ERR_INVALID_LEN', async () => {
  const applet = echoApplet();
  const rig = new DeviceRig(applet);
  const cid = rig.open();
  rig.send(cid, MSG, bytes(300));
  await waitFor(() => rig.sent.length > 0);
  assert.equal(rig.take(), [{ cid, command: MSG, payload: bytes(300) }]);
  rig.send(cid, MSG, new Uint8Array(0));
  assert.is(errorCode(rig.take()[0]), CtaphidError.INVALID_LEN);
  assert.equal(applet.calls, [bytes(300)]);
  rig.close();
});

test('a throwing or rejecting applet gives ERR_OTHER, and the device keeps serving', async () => {
  let mode = 'throw';
  const rig = new DeviceRig({
    process(request) {
      if (mode === 'throw') throw new Error('boom');
      if (mode === 'reject') return Promise.reject(new Error('boom'));
      if (mode === 'huge') return Promise.resolve(new Uint8Array(MAX_MESSAGE_SIZE + 1));
      return Promise.resolve(request);
    },
    wink() {
      throw new Error('no light');
    },
  });
  const cid = rig.open();
  for (const m of ['throw', 'reject', 'huge']) {
    mode = m;
    rig.send(cid, MSG, bytes(5));
    await waitFor(() => rig.sent.length > 0);
    assert.is(errorCode(rig.take()[0]), CtaphidError.OTHER, m);
  }
  rig.send(cid, WINK);
  assert.is(errorCode(rig.take()[0]), CtaphidError.OTHER, 'wink');
  mode = 'echo';
  rig.send(cid, MSG, bytes(5));
  await waitFor(() => rig.sent.length > 0);
  assert.equal(rig.take(), [{ cid, command: MSG, payload: bytes(5) }]);
  rig.close();
});

test('WINK calls the applet and answers empty; WINK with a payload is ERR_INVALID_LEN', () => {
  const applet = echoApplet();
  const rig = new DeviceRig(applet);
  const cid = rig.open();
  rig.send(cid, WINK);
  rig.send(cid, WINK, bytes(1));
  const [ok, bad] = rig.take();
  assert.equal(ok, { cid, command: WINK, payload: new Uint8Array(0) });
  assert.is(errorCode(bad), CtaphidError.INVALID_LEN);
  assert.is(applet.winks, 1);
  rig.close();
});

test('LOCK: other channels get ERR_CHANNEL_BUSY, the owner is served, 0 releases; bad values', () => {
  const rig = new DeviceRig(echoApplet());
  const owner = rig.open();
  const other = rig.open();
  rig.send(owner, LOCK, Uint8Array.of(10));
  assert.equal(rig.take(), [{ cid: owner, command: LOCK, payload: new Uint8Array(0) }]);
  rig.send(other, PING, bytes(3));
  rig.send(other, LOCK, Uint8Array.of(0));
  assert.equal(rig.take().map(errorCode), [CtaphidError.CHANNEL_BUSY, CtaphidError.CHANNEL_BUSY]);
  rig.send(owner, PING, bytes(3));
  assert.is(rig.take()[0].command, PING);
  // INIT stays available to everyone while locked.
  rig.send(BROADCAST_CID, INIT, NONCE);
  assert.is(rig.take()[0].command, INIT);
  rig.send(owner, LOCK, Uint8Array.of(0));
  rig.send(other, PING, bytes(3));
  assert.equal(rig.take().map((m) => m.command), [LOCK, PING]);
  rig.send(owner, LOCK, Uint8Array.of(11));
  rig.send(owner, LOCK, new Uint8Array(0));
  rig.send(owner, LOCK, Uint8Array.of(1, 1));
  assert.equal(rig.take().map(errorCode), [CtaphidError.INVALID_PAR, CtaphidError.INVALID_LEN, CtaphidError.INVALID_LEN]);
  rig.close();
});

test('LOCK expires after its time', async () => {
  const rig = new DeviceRig(echoApplet());
  const owner = rig.open();
  const other = rig.open();
  rig.send(owner, LOCK, Uint8Array.of(1));
  rig.take();
  await delay(700);
  rig.send(other, PING, bytes(1));
  assert.is(errorCode(rig.take()[0]), CtaphidError.CHANNEL_BUSY);
  await delay(400);
  rig.send(other, PING, bytes(1));
  assert.is(rig.take()[0].command, PING);
  rig.close();
});

test('CANCEL is never answered and aborts the pending MSG (no answer, keepalives stop)', async () => {
  const applet = slowApplet(120);
  const rig = new DeviceRig(applet, { keepaliveIntervalMs: 20 });
  const cid = rig.open();
  rig.send(cid, CANCEL);
  assert.equal(rig.take(), []);
  rig.send(cid, MSG, bytes(4));
  await delay(50);
  rig.send(cid, CANCEL);
  rig.take();
  await delay(150);
  assert.equal(rig.take(), [], 'no answer and no keepalive after CANCEL');
  assert.is(applet.calls.length, 1);
  rig.send(cid, PING, bytes(2));
  assert.is(rig.take()[0].command, PING);
  rig.close();
});

test('CANCEL aborts a message being received; its continuations are then ignored', async () => {
  const rig = new DeviceRig(echoApplet());
  const cid = rig.open();
  const reports = fragmentMessage(cid, PING, bytes(100));
  rig.device.receive(reports[0]);
  rig.send(cid, CANCEL);
  rig.device.receive(reports[1]);
  assert.equal(rig.take(), []);
  rig.send(cid, PING, bytes(1));
  assert.is(rig.take()[0].command, PING);
  rig.close();
});

test('KEEPALIVE(PROCESSING) while the applet works, then the answer', async () => {
  const rig = new DeviceRig(slowApplet(110), { keepaliveIntervalMs: 25 });
  const cid = rig.open();
  rig.send(cid, MSG, bytes(3));
  await delay(160);
  const messages = rig.take();
  const keepalives = messages.filter((m) => m.command === KEEPALIVE);
  assert.ok(keepalives.length >= 2, `${keepalives.length} keepalives`);
  assert.ok(keepalives.every((m) => m.cid === cid && m.payload.length === 1 && m.payload[0] === KeepaliveStatus.PROCESSING));
  assert.equal(messages[messages.length - 1], { cid, command: MSG, payload: bytes(3) });
  rig.close();
});

test('busy: another channel gets ERR_CHANNEL_BUSY at once while the first message goes on', async () => {
  const rig = new DeviceRig(echoApplet());
  const a = rig.open();
  const b = rig.open();
  const reports = fragmentMessage(a, PING, bytes(200));
  rig.device.receive(reports[0]);
  rig.send(b, PING, bytes(1));
  rig.raw([0, 0, 0, b, 0x00, 0xee]); // a stray continuation from the other channel: ignored
  assert.equal(rig.take().map((m) => [m.cid, errorCode(m)]), [[b, CtaphidError.CHANNEL_BUSY]]);
  for (const r of reports.slice(1)) rig.device.receive(r);
  assert.equal(rig.take(), [{ cid: a, command: PING, payload: bytes(200) }]);
  rig.close();
});

test('busy within 100 ms while a slow MSG completes normally', async () => {
  const rig = new DeviceRig(slowApplet(200), { keepaliveIntervalMs: 1000 });
  const a = rig.open();
  const b = rig.open();
  rig.send(a, MSG, bytes(10));
  await delay(20);
  const start = performance.now();
  rig.send(b, MSG, bytes(10));
  rig.send(a, PING, bytes(1));
  const elapsed = performance.now() - start;
  assert.equal(rig.take().map((m) => [m.cid, errorCode(m)]), [[b, CtaphidError.CHANNEL_BUSY], [a, CtaphidError.CHANNEL_BUSY]]);
  assert.ok(elapsed < 100, `${elapsed} ms`);
  await waitFor(() => rig.sent.length > 0);
  assert.equal(rig.take(), [{ cid: a, command: MSG, payload: bytes(10) }]);
  rig.close();
});

test('unfinished message: ERR_MSG_TIMEOUT within 400..1000 ms (default timeout), then the channel works', async () => {
  const rig = new DeviceRig(echoApplet());
  const cid = rig.open();
  const start = performance.now();
  rig.device.receive(fragmentMessage(cid, PING, bytes(100))[0]);
  await waitFor(() => rig.sent.length > 0, 1500);
  const elapsed = performance.now() - start;
  assert.equal(rig.take().map(errorCode), [CtaphidError.MSG_TIMEOUT]);
  assert.ok(elapsed >= 400 && elapsed <= 1000, `${elapsed} ms`);
  rig.send(cid, PING, bytes(100));
  assert.equal(rig.take(), [{ cid, command: PING, payload: bytes(100) }]);
  rig.close();
});

test('skipped SEQ: ERR_INVALID_SEQ, the message is dropped', () => {
  const rig = new DeviceRig(echoApplet());
  const cid = rig.open();
  const reports = fragmentMessage(cid, PING, bytes(200));
  rig.device.receive(reports[0]);
  rig.device.receive(reports[2]);
  rig.device.receive(reports[3]);
  assert.equal(rig.take().map(errorCode), [CtaphidError.INVALID_SEQ]);
  rig.close();
});

test('an init packet mid-message on the same CID: ERR_INVALID_SEQ', () => {
  const rig = new DeviceRig(echoApplet());
  const cid = rig.open();
  rig.device.receive(fragmentMessage(cid, PING, bytes(200))[0]);
  rig.send(cid, PING, bytes(3));
  assert.equal(rig.take().map(errorCode), [CtaphidError.INVALID_SEQ]);
  rig.send(cid, PING, bytes(3));
  assert.is(rig.take()[0].command, PING);
  rig.close();
});

test('INIT from another CID mid-transaction is answered and the transaction goes on', () => {
  const rig = new DeviceRig(echoApplet());
  const a = rig.open();
  const b = rig.open();
  const reports = fragmentMessage(a, PING, bytes(200));
  rig.device.receive(reports[0]);
  rig.send(BROADCAST_CID, INIT, NONCE);
  rig.send(b, INIT, NONCE);
  const [allocated, resync] = rig.take();
  assert.is(parseInitResponse(allocated.payload)!.cid, 3);
  assert.is(resync.cid, b);
  assert.is(parseInitResponse(resync.payload)!.cid, b);
  for (const r of reports.slice(1)) rig.device.receive(r);
  assert.equal(rig.take(), [{ cid: a, command: PING, payload: bytes(200) }]);
  rig.close();
});

test('INIT on the busy CID resyncs: keeps the CID, drops its message or its pending MSG', async () => {
  const rig = new DeviceRig(slowApplet(50), { keepaliveIntervalMs: 1000 });
  const cid = rig.open();
  const reports = fragmentMessage(cid, PING, bytes(200));
  rig.device.receive(reports[0]);
  rig.send(cid, INIT, NONCE);
  rig.device.receive(reports[1]);
  const [resync] = rig.take();
  assert.is(parseInitResponse(resync.payload)!.cid, cid);
  assert.equal(rig.take(), [], 'stale continuation ignored');
  rig.send(cid, MSG, bytes(7));
  rig.send(cid, INIT, NONCE);
  assert.is(rig.take()[0].command, INIT);
  await delay(120);
  assert.equal(rig.take(), [], 'the abandoned MSG is never answered');
  rig.close();
});

test('BCNT above 7609: ERR_INVALID_LEN', () => {
  const rig = new DeviceRig(echoApplet());
  const cid = rig.open();
  const report = fragmentMessage(cid, PING, bytes(1))[0];
  report.set([0x1d, 0xba], 5); // 7610
  rig.device.receive(report);
  assert.equal(rig.take().map(errorCode), [CtaphidError.INVALID_LEN]);
  rig.close();
});

test('CID 0, a non-INIT command on broadcast, an unknown CID: ERR_INVALID_CHANNEL', () => {
  const rig = new DeviceRig(echoApplet());
  rig.send(0, INIT, NONCE);
  rig.send(BROADCAST_CID, PING, bytes(1));
  rig.send(BROADCAST_CID, MSG, bytes(1));
  rig.send(0x12345678, PING, bytes(1));
  const messages = rig.take();
  assert.equal(messages.map((m) => m.cid), [0, BROADCAST_CID, BROADCAST_CID, 0x12345678]);
  assert.ok(messages.every((m) => errorCode(m) === CtaphidError.INVALID_CHANNEL));
  rig.close();
});

test('unknown commands (and CBOR, KEEPALIVE, ERROR from a host): ERR_INVALID_CMD', () => {
  const rig = new DeviceRig(echoApplet());
  const cid = rig.open();
  for (const command of [0x42, 0x00, CBOR, KEEPALIVE, ERROR]) rig.send(cid, command, bytes(2));
  assert.ok(rig.take().every((m) => errorCode(m) === CtaphidError.INVALID_CMD));
  rig.close();
});

test('a continuation with no message in progress is ignored', () => {
  const rig = new DeviceRig(echoApplet());
  const cid = rig.open();
  rig.raw([0, 0, 0, cid, 0x00, 1, 2, 3]);
  rig.raw([0xff, 0xff, 0xff, 0xff, 0x05]);
  rig.raw([0, 0, 0, 0, 0x7f]);
  assert.equal(rig.take(), []);
  rig.close();
});

test('report size: shorter reports are zero-padded, longer ones are dropped', () => {
  const rig = new DeviceRig(echoApplet());
  const cid = rig.open();
  rig.raw([0, 0, 0, cid, 0x81, 0, 2, 9, 9], 9);
  assert.equal(rig.take(), [{ cid, command: PING, payload: Uint8Array.of(9, 9) }]);
  rig.raw([0, 0, 0, cid, 0x81, 0, 2, 9, 9], 65);
  rig.raw([], 0);
  assert.equal(rig.take(), []);
  rig.close();
});

test('close(): no output afterwards, pending answers dropped, timers gone', async () => {
  const rig = new DeviceRig(slowApplet(30), { keepaliveIntervalMs: 5 });
  const owner = rig.open();
  rig.send(owner, LOCK, Uint8Array.of(10));
  rig.send(owner, MSG, bytes(1));
  rig.take();
  rig.close();
  rig.send(BROADCAST_CID, INIT, NONCE);
  await delay(60);
  assert.equal(rig.take(), []);
  // uvu would not exit if the 10 s lock timer or the keepalive interval survived close().
});

test('onReport sees every report both ways; a throwing listener changes nothing', () => {
  const events: ReportEvent[] = [];
  const rig = new DeviceRig(echoApplet(), { onReport: (e) => events.push(e) });
  const cid = rig.open();
  rig.send(cid, PING, bytes(60));
  assert.equal(events.map((e) => e.direction), ['out', 'in', 'out', 'out', 'in', 'in']);
  assert.is(events[2].summary, `PING cid=0x00000001 bcnt=60`);
  events[4].report.fill(0);
  assert.is(rig.take()[0].payload.length, 60, 'listeners get copies');
  const loud = new DeviceRig(echoApplet(), {
    onReport: () => {
      throw new Error('listener bug');
    },
  });
  assert.is(loud.open(), 1);
  loud.close();
  rig.close();
});

test('ChannelTable: never 0 or broadcast, evicts the oldest idle channel, gives up on a stuck random', () => {
  const values = [0, BROADCAST_CID, 7, 8, 9];
  const table = new ChannelTable({
    random: () => {
      const b = new Uint8Array(4);
      new DataView(b.buffer).setUint32(0, values.shift() ?? 9);
      return b;
    },
    capacity: 2,
  });
  assert.is(table.allocate(() => false), 7);
  assert.is(table.allocate(() => false), 8);
  assert.is(table.allocate((cid) => cid === 7), 9);
  assert.ok(table.has(7) && !table.has(8) && table.has(9));
  assert.is(table.allocate(() => false), undefined, 'random stuck on a CID in use');
  const counter = new ChannelTable({ random: counterRandom() });
  assert.is(counter.allocate(() => false), 1);
});

test.run();
