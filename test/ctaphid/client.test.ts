// CTAPHID client (CTAP 2.1 section 11.2, host side) over the in-process pipe and a scripted device.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BROADCAST_CID, Capability, CtaphidCommand, CtaphidError, KeepaliveStatus } from '../../emulator/ctaphid/constants.ts';
import { fragmentMessage, parsePacket } from '../../emulator/ctaphid/framing.ts';
import type { InitPacket } from '../../emulator/ctaphid/framing.ts';
import { encodeInitResponse } from '../../emulator/ctaphid/init-response.ts';
import type { ReportEvent } from '../../emulator/ctaphid/report-event.ts';
import { CtaphidClient, CtaphidClientError, CtaphidProtocolError, benchPing } from '../../harness/ctaphid/index.ts';
import { createPipeTransport } from '../../harness/transports/pipe.ts';
import { TransportClosedError } from '../../harness/transports/report-transport.ts';
import { NONCE, counterRandom, delay, echoApplet, scriptedTransport, slowApplet } from './helpers.ts';

const { PING, MSG, INIT, KEEPALIVE, ERROR, CANCEL } = CtaphidCommand;
const bytes = (n: number, seed = 0) => Uint8Array.from({ length: n }, (_, i) => (i + seed) & 0xff);

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

test('end to end over the pipe: INIT, PING, MSG, WINK, LOCK', async () => {
  const applet = echoApplet();
  const transport = createPipeTransport(applet, { random: counterRandom(), deviceVersion: { major: 1, minor: 2, build: 3 } });
  const client = await CtaphidClient.open(transport, { nonce: NONCE });
  assert.is(client.cid, 1);
  assert.equal(client.info, { protocolVersion: 2, deviceVersion: { major: 1, minor: 2, build: 3 }, capabilities: Capability.WINK });
  assert.equal(await client.ping(bytes(7609)), bytes(7609));
  assert.equal(await client.ping(new Uint8Array(0)), new Uint8Array(0));
  assert.equal(await client.msg(bytes(70)), bytes(70));
  await client.wink();
  await client.lock(2);
  await client.lock(0);
  assert.is(applet.winks, 1);
  assert.equal(applet.calls, [bytes(70)]);
  await client.close();
});

test('calls are queued, never interleaved', async () => {
  const transport = createPipeTransport(slowApplet(5));
  const client = await CtaphidClient.open(transport);
  const answers = await Promise.all([1, 2, 3, 4].map((n) => (n % 2 ? client.msg(bytes(100, n)) : client.ping(bytes(90, n)))));
  assert.equal(answers, [bytes(100, 1), bytes(90, 2), bytes(100, 3), bytes(90, 4)]);
  await client.close();
});

test('ERROR frames become CtaphidProtocolError with the code and its name', async () => {
  const transport = createPipeTransport(echoApplet());
  const a = await CtaphidClient.open(transport);
  const b = await CtaphidClient.open(transport.openHandle());
  await a.lock(5);
  const busy = await rejection(b.ping(bytes(1)));
  assert.instance(busy, CtaphidProtocolError);
  assert.is((busy as CtaphidProtocolError).code, CtaphidError.CHANNEL_BUSY);
  assert.is((busy as CtaphidProtocolError).codeName, 'ERR_CHANNEL_BUSY');
  const tooLong = (await rejection(a.lock(11))) as CtaphidProtocolError;
  assert.is(tooLong.code, CtaphidError.INVALID_PAR);
  const empty = (await rejection(a.msg(new Uint8Array(0)))) as CtaphidProtocolError;
  assert.is(empty.code, CtaphidError.INVALID_LEN);
  const unknown = (await rejection(a.call(0x42, bytes(1)))) as CtaphidProtocolError;
  assert.is(unknown.code, CtaphidError.INVALID_CMD);
  await a.lock(0);
  assert.equal(await b.ping(bytes(1)), bytes(1));
  await a.close();
});

test('busy over the pipe: the second channel fails within 100 ms, the first completes', async () => {
  const transport = createPipeTransport(slowApplet(250));
  const a = await CtaphidClient.open(transport);
  const b = await CtaphidClient.open(transport.openHandle());
  const first = a.msg(bytes(10));
  await delay(10);
  const start = performance.now();
  const error = (await rejection(b.msg(bytes(10)))) as CtaphidProtocolError;
  assert.is(error.code, CtaphidError.CHANNEL_BUSY);
  assert.ok(performance.now() - start < 100);
  assert.equal(await first, bytes(10));
  await a.close();
});

test('KEEPALIVE: reported to onKeepalive and each one restarts the wait', async () => {
  const transport = createPipeTransport(slowApplet(200), { keepaliveIntervalMs: 20 });
  const client = await CtaphidClient.open(transport);
  const statuses: number[] = [];
  const answer = await client.call(MSG, bytes(3), { timeoutMs: 80, onKeepalive: (s) => statuses.push(s) });
  assert.equal(answer, bytes(3));
  assert.ok(statuses.length >= 5, `${statuses.length} keepalives`);
  assert.ok(statuses.every((s) => s === KeepaliveStatus.PROCESSING));
  await client.close();
});

test('timeout: a clear CtaphidClientError; the next call resyncs and is not fooled by the late answer', async () => {
  const transport = createPipeTransport(slowApplet(150), { keepaliveIntervalMs: 1000 });
  const client = await CtaphidClient.open(transport);
  const start = performance.now();
  const error = (await rejection(client.call(MSG, bytes(4), { timeoutMs: 60 }))) as CtaphidClientError;
  const elapsed = performance.now() - start;
  assert.instance(error, CtaphidClientError);
  assert.is(error.reason, 'timeout');
  assert.is(error.request.command, MSG);
  assert.match(error.message, /no answer within 60 ms on emulator/);
  assert.ok(elapsed >= 55 && elapsed < 150, `${elapsed} ms`);
  // The resync INIT drops the device's pending MSG; the applet still finishes before the next one.
  assert.equal(await client.msg(bytes(4, 9)), bytes(4, 9));
  await client.close();
});

test('cancel(): the call in flight fails as cancelled at once; the channel then works', async () => {
  const events: ReportEvent[] = [];
  const transport = createPipeTransport(slowApplet(100), { keepaliveIntervalMs: 1000 });
  const client = await CtaphidClient.open(transport, { onReport: (e) => events.push(e) });
  const call = client.msg(bytes(4));
  await delay(20);
  const start = performance.now();
  await client.cancel();
  const error = (await rejection(call)) as CtaphidClientError;
  assert.is(error.reason, 'cancelled');
  assert.is(error.request.command, MSG);
  assert.ok(performance.now() - start < 20);
  assert.ok(events.some((e) => e.direction === 'out' && e.summary.startsWith('CANCEL')));
  assert.equal(await client.ping(bytes(3)), bytes(3));
  assert.equal(await client.msg(bytes(5)), bytes(5));
  await client.close();
});

test('open() and call() skip other channels, stale answers and INIT answers with another nonce', async () => {
  const cid = 0x01020304;
  const initAnswer = (nonce: Uint8Array, to = cid) =>
    fragmentMessage(BROADCAST_CID, INIT, encodeInitResponse({ nonce, cid: to, protocolVersion: 2, deviceVersion: { major: 9, minor: 9, build: 9 }, capabilities: 0 }));
  const transport = scriptedTransport((report, push) => {
    const packet = parsePacket(report);
    if (packet.type !== 'init') return;
    if (packet.command === INIT) {
      initAnswer(bytes(8, 50), 0x0badcafe).forEach(push); // another host's answer
      fragmentMessage(0x55555555, PING, bytes(3)).forEach(push);
      initAnswer((packet as InitPacket).data.slice(0, 8)).forEach(push);
    } else {
      fragmentMessage(0x0badcafe, PING, bytes(90)).forEach(push); // other channel
      push(Uint8Array.of(1, 2, 3, 4, 0x05)); // a stray continuation on ours
      fragmentMessage(cid, KEEPALIVE, Uint8Array.of(KeepaliveStatus.UPNEEDED)).forEach(push);
      fragmentMessage(cid, MSG, bytes(3)).forEach(push); // stale answer to another command
      fragmentMessage(cid, PING, bytes(100)).forEach(push);
    }
  });
  const client = await CtaphidClient.open(transport, { nonce: NONCE });
  assert.is(client.cid, cid);
  assert.equal(client.info.deviceVersion, { major: 9, minor: 9, build: 9 });
  const statuses: number[] = [];
  assert.equal(await client.call(PING, bytes(1), { onKeepalive: (s) => statuses.push(s) }), bytes(100));
  assert.equal(statuses, [KeepaliveStatus.UPNEEDED]);
  await client.close();
});

test('malformed answers: out-of-order continuation, BCNT too large', async () => {
  let answer: Uint8Array[] = [];
  const cid = 7;
  const transport = scriptedTransport((report, push) => {
    const packet = parsePacket(report);
    if (packet.type === 'init' && packet.command === INIT) {
      const response = encodeInitResponse({ nonce: packet.data.slice(0, 8), cid, protocolVersion: 2, deviceVersion: { major: 0, minor: 0, build: 0 }, capabilities: 0 });
      fragmentMessage(packet.cid, INIT, response).forEach(push);
    } else if (packet.type === 'init' && packet.command !== CANCEL) {
      answer.forEach(push);
    }
  });
  const client = await CtaphidClient.open(transport, { timeoutMs: 100 });
  const reports = fragmentMessage(cid, PING, bytes(200));
  answer = [reports[0], reports[2]];
  const skipped = (await rejection(client.ping(bytes(1)))) as CtaphidClientError;
  assert.is(skipped.reason, 'malformed-response');
  const huge = fragmentMessage(cid, PING, bytes(1))[0];
  huge.set([0xff, 0xff], 5);
  answer = [huge];
  assert.is(((await rejection(client.ping(bytes(1)))) as CtaphidClientError).reason, 'malformed-response');
  answer = fragmentMessage(cid, PING, bytes(2));
  assert.equal(await client.ping(bytes(2)), bytes(2));
  // Resyncs happened before each call after a failure.
  assert.is(transport.written.filter((r) => r[4] === (0x80 | INIT)).length, 3);
  await client.close();
});

test('ERROR on the broadcast CID during open() and a silent device give typed errors', async () => {
  const refusing = scriptedTransport((_report, push) => {
    fragmentMessage(BROADCAST_CID, ERROR, Uint8Array.of(CtaphidError.OTHER)).forEach(push);
  });
  const refused = (await rejection(CtaphidClient.open(refusing))) as CtaphidProtocolError;
  assert.is(refused.code, CtaphidError.OTHER);
  const silent = scriptedTransport(() => undefined);
  const timeout = (await rejection(CtaphidClient.open(silent, { timeoutMs: 30 }))) as CtaphidClientError;
  assert.is(timeout.reason, 'timeout');
  assert.is(timeout.request.command, INIT);
  assert.instance(await rejection(CtaphidClient.open(silent, { nonce: bytes(7) })), RangeError);
});

test('pipe: delivers asynchronously, pads short writes, refuses long ones and writes after close', async () => {
  const transport = createPipeTransport(echoApplet());
  let delivered = false;
  const read = transport.read(500).then((r) => {
    delivered = true;
    return r;
  });
  await transport.write(fragmentMessage(BROADCAST_CID, INIT, NONCE)[0].subarray(0, 15));
  assert.is(delivered, false, 'not delivered inside write()');
  const report = await read;
  assert.is(report.length, 64);
  assert.is(report[4], 0x80 | INIT);
  assert.instance(await rejection(transport.write(new Uint8Array(65))), RangeError);
  await transport.close();
  assert.instance(await rejection(transport.write(new Uint8Array(64))), TransportClosedError);
  assert.instance(await rejection(transport.read(10)), TransportClosedError);
});

test('pipe handles: each host sees every report; closing the pipe closes its handles', async () => {
  const transport = createPipeTransport(echoApplet());
  const other = transport.openHandle();
  assert.is(other.name, 'emulator#1');
  await other.write(fragmentMessage(BROADCAST_CID, INIT, NONCE)[0]);
  const [mine, theirs] = await Promise.all([transport.read(100), other.read(100)]);
  assert.equal(mine, theirs);
  await transport.close();
  assert.instance(await rejection(other.write(new Uint8Array(64))), TransportClosedError);
});

test('close() fails the call in flight; later calls fail with TransportClosedError', async () => {
  const transport = createPipeTransport(slowApplet(100));
  const client = await CtaphidClient.open(transport);
  const call = client.msg(bytes(1));
  await delay(10);
  await client.close();
  assert.is(((await rejection(call)) as CtaphidClientError).reason, 'cancelled');
  assert.instance(await rejection(client.ping(bytes(1))), TransportClosedError);
});

test('lock() refuses values that do not fit a byte', async () => {
  const transport = createPipeTransport(echoApplet());
  const client = await CtaphidClient.open(transport);
  assert.instance(await rejection(client.lock(256)), RangeError);
  assert.instance(await rejection(client.lock(1.5)), RangeError);
  await client.close();
});

test('benchPing measures round trips', async () => {
  const transport = createPipeTransport(echoApplet());
  const { roundTripsPerSec } = await benchPing(transport, 0.2, 100);
  assert.ok(roundTripsPerSec > 100, `${roundTripsPerSec}/s`);
  await transport.close();
});

test.run();
