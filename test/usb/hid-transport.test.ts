// The node-hid transport for physical keys: the FIDO usage-page filter, report-id framing on write,
// reads and errors, against a fake hidapi backend; plus node-hid itself on this machine.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { EventEmitter } from 'node:events';
import { type HidBackend, type HidHandle, listHidDevices, openHidTransport } from '../../harness/transports/hid.ts';
import { TransportClosedError } from '../../harness/transports/report-transport.ts';

class FakeHandle extends EventEmitter implements HidHandle {
  readonly written: Buffer[] = [];
  closed = false;
  async write(data: Buffer): Promise<number> {
    this.written.push(data);
    return data.length;
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

function fakeBackend(handle = new FakeHandle()): HidBackend & { handle: FakeHandle } {
  return {
    handle,
    devices: async () => [
      { path: '/dev/hidraw0', vendorId: 0x046d, productId: 0xc52b, usagePage: 0x0001, usage: 6 },
      { path: '/dev/hidraw1', vendorId: 0x1050, productId: 0x0120, usagePage: 0xf1d0, usage: 1, product: 'Security Key' },
      { vendorId: 0x1050, productId: 0x0121, usagePage: 0xf1d0 },
    ],
    open: async () => handle,
  };
}

test('listHidDevices keeps FIDO interfaces (usage page 0xF1D0) that have a path', async () => {
  const devices = await listHidDevices({ backend: fakeBackend() });
  assert.equal(devices.map((d) => [d.path, d.vendorId, d.product]), [['/dev/hidraw1', 0x1050, 'Security Key']]);
});

test('write sends report id 0 then the zero-padded 64-byte report; data events become reads', async () => {
  const backend = fakeBackend();
  const transport = await openHidTransport({ path: '/dev/hidraw1', backend });
  assert.is(transport.name, 'hid:/dev/hidraw1');
  await transport.write(Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0x86));
  assert.is(backend.handle.written[0].length, 65);
  assert.equal([...backend.handle.written[0].subarray(0, 7)], [0, 0xff, 0xff, 0xff, 0xff, 0x86, 0]);
  backend.handle.emit('data', Buffer.alloc(64, 7));
  const report = await transport.read(100);
  assert.is(report.length, 64);
  assert.is(report[0], 7);
  await transport.close();
  assert.ok(backend.handle.closed);
  assert.instance(await transport.write(new Uint8Array(64)).catch((e) => e), TransportClosedError);
});

test('an unplugged key (hidapi read error) rejects the pending read', async () => {
  const backend = fakeBackend();
  const transport = await openHidTransport({ path: '/dev/hidraw1', backend });
  const pending = transport.read(5000).catch((e) => e);
  backend.handle.emit('error', new Error('could not read from HID device'));
  const error = await pending;
  assert.match(error.message, /hid:\/dev\/hidraw1: could not read/);
  await transport.close();
});

test('node-hid loads here: listing works and a missing path fails to open', async () => {
  assert.ok(Array.isArray(await listHidDevices()));
  const error = await openHidTransport({ path: '/dev/keyloop-no-such-hidraw' }).catch((e) => e);
  assert.instance(error, Error);
});

test.run();
