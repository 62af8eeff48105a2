// The Solo-simulator UDP transport both ways (PROTOCOLS.md): one 64-byte report per datagram,
// replies to a fixed port rather than the sender, bad datagrams dropped with a log line.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createSocket } from 'node:dgram';
import { reportFromDatagram, startUdpReportServer, type UdpReportServer } from '../../emulator/udp/index.ts';
import { openUdpTransport, type UdpTransport } from '../../harness/transports/udp.ts';
import { TransportClosedError, TransportTimeoutError } from '../../harness/transports/report-transport.ts';
import { freeUdpPort } from '../support/free-udp-port.ts';

let server: UdpReportServer;
let client: UdpTransport;
let warnings: string[];

test.before.each(async () => {
  warnings = [];
  // A free port stands in for the fixed 7112.
  const replyPort = await freeUdpPort();
  server = await startUdpReportServer({
    port: 0,
    replyPort,
    receive: (report) => {
      const reply = report.slice();
      reply[0] ^= 0xff;
      server.send(reply);
    },
    logger: { info: () => {}, warn: (line) => warnings.push(line) },
  });
  client = await openUdpTransport({ port: server.port, listenPort: replyPort });
});


test.after.each(async () => {
  await client.close();
  await server.close();
});

test('datagram rules: 64 bytes as is, shorter zero-padded, empty or longer refused', () => {
  const full = reportFromDatagram(new Uint8Array(64).fill(1));
  assert.ok(full.ok && full.report.every((b) => b === 1));
  const short = reportFromDatagram(Uint8Array.of(9));
  assert.ok(short.ok && short.report.length === 64 && short.report[0] === 9 && short.report[1] === 0);
  assert.equal(reportFromDatagram(new Uint8Array(0)), { ok: false, reason: 'EMPTY', length: 0 });
  assert.equal(reportFromDatagram(new Uint8Array(65)), { ok: false, reason: 'TOO_LONG', length: 65 });
});

test('reports round-trip in order, 64 bytes each way', async () => {
  for (let i = 0; i < 50; i++) await client.write(Uint8Array.of(i, 1, 2, 3));
  for (let i = 0; i < 50; i++) {
    const reply = await client.read(1000);
    assert.is(reply.length, 64);
    assert.equal([reply[0], reply[1], reply[3], reply[63]], [i ^ 0xff, 1, 3, 0]);
  }
});

test('replies go to the fixed reply port, not to the sender', async () => {
  const stranger = createSocket('udp4');
  await new Promise<void>((resolve) => stranger.bind(0, '127.0.0.1', () => resolve()));
  let strangerGot = 0;
  stranger.on('message', () => strangerGot++);
  stranger.send(new Uint8Array(64).fill(0x11), server.port, '127.0.0.1');
  const reply = await client.read(1000);
  assert.is(reply[0], 0x11 ^ 0xff);
  assert.is(strangerGot, 0);
  stranger.close();
});

test('reply port 0: replies go to the sender of the latest datagram', async () => {
  const toSender = await startUdpReportServer({ port: 0, replyPort: 0, receive: (report) => toSender.send(report) });
  const a = await openUdpTransport({ port: toSender.port, listenPort: 0 });
  const b = await openUdpTransport({ port: toSender.port, listenPort: 0 });
  try {
    await a.write(Uint8Array.of(0xa));
    assert.is((await a.read(1000))[0], 0xa);
    await b.write(Uint8Array.of(0xb));
    assert.is((await b.read(1000))[0], 0xb);
    toSender.send(Uint8Array.of(0xc)); // unsolicited: goes to the latest sender
    assert.is((await b.read(1000))[0], 0xc);
  } finally {
    await a.close();
    await b.close();
    await toSender.close();
  }
});

test('oversized and empty datagrams are dropped with a log line; the port keeps serving', async () => {
  const raw = createSocket('udp4');
  raw.send(new Uint8Array(65), server.port, '127.0.0.1');
  raw.send(new Uint8Array(0), server.port, '127.0.0.1');
  await new Promise((resolve) => setTimeout(resolve, 50));
  raw.close();
  assert.is(warnings.length, 2);
  assert.ok(warnings.some((w) => w.includes('TOO_LONG')) && warnings.some((w) => w.includes('EMPTY')));
  await client.write(Uint8Array.of(5));
  assert.is((await client.read(1000))[0], 5 ^ 0xff);
});

test('read times out without a reply; close rejects pending reads and later writes', async () => {
  assert.instance(await client.read(30).catch((e) => e), TransportTimeoutError);
  const pending = client.read(5000).catch((e) => e);
  await client.close();
  assert.instance(await pending, TransportClosedError);
  assert.instance(await client.write(new Uint8Array(64)).catch((e) => e), TransportClosedError);
  assert.instance(await client.write(new Uint8Array(65)).catch((e) => e), TransportClosedError);
});

test('writing more than 64 bytes is an error', async () => {
  assert.instance(await client.write(new Uint8Array(65)).catch((e) => e), RangeError);
});

test.run();
