// Bad peers: malformed, truncated or absurd input and peers that vanish mid-URB close their own
// connection with a log line; the server, the other keys and later imports carry on.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { UsbHidDevice } from '../../emulator/usb/index.ts';
import { UsbipBus, UsbipSession, parseBusId, startUsbipServer } from '../../emulator/usbip/index.ts';
import { listUsbipDevices, openUsbipTransport, type UsbipTransport } from '../../harness/transports/usbip-client.ts';
import { type EchoServer, RawPeer, echoDevice, hex, i32, identity, startEchoServer, u32, until } from './support.ts';

let echo: EchoServer;
let bystander: UsbipTransport;

test.before.each(async () => {
  echo = await startEchoServer(2);
  bystander = await openUsbipTransport({ port: echo.server.port, busId: '1-2' });
});

test.after.each(async () => {
  // Whatever happened on 1-1, the bystander on 1-2 still echoes and 1-1 can be imported again.
  await bystander.write(Uint8Array.of(41));
  assert.is((await bystander.read(1000))[0], 42);
  await until(() => !echo.server.importedBusIds().includes('1-1'));
  const again = await openUsbipTransport({ port: echo.server.port, busId: '1-1' });
  await again.write(Uint8Array.of(1));
  assert.is((await again.read(1000))[0], 2);
  await again.close();
  assert.is((await listUsbipDevices({ port: echo.server.port })).length, 2);
  await bystander.close();
  await echo.server.close();
});

const importBytes = (busId: string) => hex('0111 8003 00000000' + Buffer.from(busId).toString('hex').padEnd(64, '0'));

async function imported(): Promise<RawPeer> {
  const peer = await RawPeer.open(echo.server.port);
  peer.write(importBytes('1-1'));
  assert.is(u32(await peer.read(320), 4), 0);
  return peer;
}

function header(words: number[]): Uint8Array {
  const bytes = new Uint8Array(48);
  const view = new DataView(bytes.buffer);
  words.forEach((word, i) => view.setUint32(i * 4, word >>> 0));
  return bytes;
}

async function expectClosedWith(peer: RawPeer, code: string): Promise<void> {
  await peer.closed;
  await until(() => echo.warnings.some((line) => line.includes(code)));
}

test('unsupported version in the operation phase', async () => {
  const peer = await RawPeer.open(echo.server.port);
  peer.write(hex('0106 8005 00000000'));
  await expectClosedWith(peer, 'UNSUPPORTED_VERSION');
});

test('unknown operation code', async () => {
  const peer = await RawPeer.open(echo.server.port);
  peer.write(hex('0111 8099 00000000'));
  await expectClosedWith(peer, 'UNKNOWN_OPERATION');
});

test('unknown command after import', async () => {
  const peer = await imported();
  peer.write(header([0x55, 1, 0x10001, 0, 0]));
  await expectClosedWith(peer, 'UNKNOWN_COMMAND');
});

test('absurd transfer_buffer_length (2 GiB OUT) is refused before any data is awaited', async () => {
  const peer = await imported();
  peer.write(header([1, 1, 0x10001, 0, 1, 0, 0x7fffffff, 0, 0xffffffff, 0]));
  await expectClosedWith(peer, 'LENGTH_TOO_LARGE');
});

test('isochronous packets, bad direction, bad endpoint', async () => {
  for (const [words, code] of [
    [[1, 1, 0x10001, 1, 1, 0, 64, 0, 3, 0], 'ISOCHRONOUS'],
    [[1, 1, 0x10001, 7, 1, 0, 64, 0, 0, 0], 'BAD_DIRECTION'],
    [[1, 1, 0x10001, 1, 99, 0, 64, 0, 0, 0], 'BAD_ENDPOINT'],
  ] as const) {
    const peer = await imported();
    peer.write(header([...words]));
    await expectClosedWith(peer, code);
    await until(() => !echo.server.importedBusIds().includes('1-1'));
  }
});

test('a seqnum reused while its URB is pending', async () => {
  const peer = await imported();
  peer.write(hex('00000001 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 0009010000000000'));
  assert.is(i32(await peer.read(48), 20), 0); // SET_CONFIGURATION(1)
  peer.write(header([1, 7, 0x10001, 1, 1, 0, 64, 0, 0xffffffff, 0]));
  peer.write(header([1, 7, 0x10001, 1, 1, 0, 64, 0, 0xffffffff, 0]));
  await expectClosedWith(peer, 'DUPLICATE_SEQNUM');
});

test('a peer that submits IN URBs without end is cut off at 1024 pending, not buffered forever', async () => {
  const peer = await imported();
  peer.write(hex('00000001 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 0009010000000000'));
  assert.is(i32(await peer.read(48), 20), 0); // SET_CONFIGURATION(1)
  for (let seqnum = 1; seqnum <= 1024; seqnum++) peer.write(header([1, seqnum, 0x10001, 1, 1, 0, 64, 0, 0xffffffff, 0]));
  assert.ok(await peer.quietFor(200), '1024 pending IN URBs are held');
  peer.write(header([1, 1025, 0x10001, 1, 1, 0, 64, 0, 0xffffffff, 0]));
  await expectClosedWith(peer, 'TOO_MANY_PENDING_URBS');
});

test('peer disappears after half a header', async () => {
  const peer = await imported();
  peer.write(header([1, 1, 0x10001, 0, 1, 0, 64]).subarray(0, 20));
  await new Promise((resolve) => setTimeout(resolve, 20));
  peer.destroy();
  await until(() => echo.warnings.some((line) => line.includes('mid-message (20 bytes')));
});

test('peer disappears mid-URB: header of a 64-byte OUT with 10 bytes of its data', async () => {
  const peer = await imported();
  const out = new Uint8Array(48 + 10);
  out.set(header([1, 1, 0x10001, 0, 1, 0, 64, 0, 0xffffffff, 0]));
  peer.write(out);
  await new Promise((resolve) => setTimeout(resolve, 20));
  peer.destroy();
  await until(() => echo.warnings.some((line) => line.includes('mid-message (58 bytes')));
});

test('peer disappears with IN URBs posted: the late report goes nowhere, nothing breaks', async () => {
  const peer = await imported();
  peer.write(hex('00000001 00000001 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 0009010000000000'));
  await peer.read(48);
  peer.write(header([1, 2, 0x10001, 1, 1, 0, 64, 0, 0xffffffff, 0]));
  peer.write(header([1, 3, 0x10001, 1, 1, 0, 64, 0, 0xffffffff, 0]));
  await new Promise((resolve) => setTimeout(resolve, 20));
  peer.destroy();
  await until(() => !echo.server.importedBusIds().includes('1-1'));
  echo.devices[0].send(new Uint8Array(64)); // a CTAPHID reply finishing after the unplug
});

test('devlist and a refused import close the connection after the reply', async () => {
  const peer = await RawPeer.open(echo.server.port);
  peer.write(importBytes('1-2')); // held by the bystander
  assert.equal([...(await peer.read(8))], [0x01, 0x11, 0x00, 0x03, 0, 0, 0, 1]);
  await peer.closed;
  assert.ok(echo.warnings.some((line) => line.includes('"1-2" refused (busy)')));
});

test('a device that throws fails that URB with -EPROTO; the connection keeps serving', async () => {
  const broken = new UsbHidDevice({
    identity: identity(9),
    receive: () => {
      throw new Error('applet exploded');
    },
  });
  const warnings: string[] = [];
  const server = await startUsbipServer({ devices: [{ busId: '2-1', device: broken }], port: 0, logger: { info() {}, warn: (l) => warnings.push(l) } });
  const peer = await RawPeer.open(server.port);
  peer.write(importBytes('2-1'));
  assert.is(u32(await peer.read(320), 4), 0);
  peer.write(hex('00000001 00000001 00020001 00000000 00000000 00000000 00000000 00000000 ffffffff 00000000 0009010000000000'));
  assert.is(i32(await peer.read(48), 20), 0);
  const out = new Uint8Array(48 + 64);
  out.set(header([1, 2, 0x20001, 0, 1, 0, 64, 0, 0xffffffff, 0]));
  peer.write(out);
  const ret = await peer.read(48);
  assert.equal([u32(ret, 4), i32(ret, 20)], [2, -71]);
  assert.ok(warnings.some((l) => l.includes('applet exploded')));
  peer.write(hex('00000001 00000003 00020001 00000001 00000000 00000000 00000012 00000000 ffffffff 00000000 8006000100001200'));
  const descriptor = await peer.read(48);
  assert.equal([u32(descriptor, 4), i32(descriptor, 20), u32(descriptor, 24)], [3, 0, 18]);
  peer.destroy();
  await server.close();
});

test('property: any bytes in any pieces never throw out of a session', () => {
  fc.assert(
    fc.property(fc.array(fc.uint8Array({ maxLength: 120 }), { maxLength: 12 }), fc.boolean(), (chunks, importFirst) => {
      const address = parseBusId('1-1')!;
      const bus = new UsbipBus([{ address, device: echoDevice(1) }]);
      const session = new UsbipSession({ bus, send: () => {}, end: () => {} });
      if (importFirst) session.receive(importBytes('1-1'));
      for (const chunk of chunks) session.receive(chunk);
      session.close();
      return !bus.isClaimed('1-1'); // released however the session ended
    }),
    { numRuns: 300 },
  );
});

test.run();
