// The USB/IP server through the harness's userspace client: device list, import, enumeration,
// reports both ways, several keys on one server, one importer per key, detach and re-import.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  UsbipClientError,
  listUsbipDevices,
  openUsbipTransport,
} from '../../harness/transports/usbip-client.ts';
import { TransportClosedError } from '../../harness/transports/report-transport.ts';
import { type EchoServer, startEchoServer, until } from './support.ts';

let echo: EchoServer;

test.before.each(async () => {
  echo = await startEchoServer(2);
});

test.after.each(async () => {
  await echo.server.close();
});

test('device list: two keys, bus ids 1-1 and 1-2, ids, full speed, one HID interface 03/00/00', async () => {
  const devices = await listUsbipDevices({ port: echo.server.port });
  assert.is(devices.length, 2);
  assert.equal(
    devices.map((d) => [d.busId, d.busnum, d.devnum, d.vendorId, d.productId, d.bcdDevice, d.speed]),
    [
      ['1-1', 1, 1, 0x1209, 0x5071, 0x0101, 2],
      ['1-2', 1, 2, 0x1209, 0x5072, 0x0102, 2],
    ],
  );
  for (const d of devices) {
    assert.equal([d.deviceClass, d.deviceSubClass, d.deviceProtocol], [0, 0, 0]);
    assert.equal([d.configurationValue, d.numConfigurations, d.numInterfaces], [1, 1, 1]);
    assert.equal(d.interfaces, [{ interfaceClass: 3, interfaceSubClass: 0, interfaceProtocol: 0 }]);
    assert.match(d.path, /\/1-\d$/);
  }
});

test('import, enumerate and echo reports on each key independently', async () => {
  const a = await openUsbipTransport({ port: echo.server.port, busId: '1-1' });
  const b = await openUsbipTransport({ port: echo.server.port, busId: '1-2' });
  try {
    assert.is(a.name, `usbip://127.0.0.1:${echo.server.port}/1-1`);
    assert.is(a.device.productId, 0x5071);
    assert.is(b.device.productId, 0x5072);
    assert.equal([...a.descriptors.device], [...echo.devices[0].descriptors.device]);
    assert.is(a.descriptors.report.length, 34);
    for (let i = 0; i < 20; i++) {
      await a.write(Uint8Array.of(i, 0xaa));
      await b.write(Uint8Array.of(100 + i, 0xbb));
    }
    for (let i = 0; i < 20; i++) {
      const ra = await a.read(1000);
      const rb = await b.read(1000);
      assert.is(ra.length, 64);
      assert.equal([ra[0], ra[1]], [i + 1, 0xaa]);
      assert.equal([rb[0], rb[1]], [101 + i, 0xbb]);
    }
  } finally {
    await a.close();
    await b.close();
  }
});

test('a second importer of the same key is refused; another key is still importable', async () => {
  const first = await openUsbipTransport({ port: echo.server.port, busId: '1-1' });
  try {
    const refused = await openUsbipTransport({ port: echo.server.port, busId: '1-1' }).catch((e) => e);
    assert.instance(refused, UsbipClientError);
    assert.is(refused.code, 'IMPORT_REFUSED');
    const unknown = await openUsbipTransport({ port: echo.server.port, busId: '9-9' }).catch((e) => e);
    assert.is(unknown.code, 'IMPORT_REFUSED');
    const other = await openUsbipTransport({ port: echo.server.port, busId: '1-2' });
    await other.close();
    await first.write(Uint8Array.of(1));
    assert.is((await first.read(1000))[0], 2);
  } finally {
    await first.close();
  }
});

test('detach and re-import: the key comes back unconfigured, re-enumerates and serves', async () => {
  for (let round = 0; round < 3; round++) {
    const transport = await openUsbipTransport({ port: echo.server.port, busId: '1-1' });
    await transport.write(Uint8Array.of(round));
    assert.is((await transport.read(1000))[0], round + 1);
    await transport.close();
    await until(() => echo.server.importedBusIds().length === 0);
  }
});

test('close rejects pending reads with TransportClosedError', async () => {
  const transport = await openUsbipTransport({ port: echo.server.port, busId: '1-1' });
  const pending = transport.read(5000).catch((e) => e);
  await transport.close();
  assert.instance(await pending, TransportClosedError);
});

test('server killed mid-transfer: pending read and later write reject with CONNECTION_CLOSED, no hang', async () => {
  const transport = await openUsbipTransport({ port: echo.server.port, busId: '1-1' });
  const pending = transport.read(10_000).catch((e) => e);
  await echo.server.close();
  const error = await pending;
  assert.instance(error, UsbipClientError);
  assert.is(error.code, 'CONNECTION_CLOSED');
  const writeError = await transport.write(Uint8Array.of(1)).catch((e) => e);
  assert.is(writeError.code, 'CONNECTION_CLOSED');
  await transport.close();
  echo = await startEchoServer(1); // after.each closes a server
});

test('nothing listening: open and list fail fast with CONNECTION_CLOSED', async () => {
  const port = echo.server.port;
  await echo.server.close();
  const error = await openUsbipTransport({ port, timeoutMs: 1000 }).catch((e) => e);
  assert.is(error.code, 'CONNECTION_CLOSED');
  const listError = await listUsbipDevices({ port, timeoutMs: 1000 }).catch((e) => e);
  assert.is(listError.code, 'CONNECTION_CLOSED');
  echo = await startEchoServer(1);
});

test.run();
