// The USB device model as a Linux host drives it: the control requests of enumeration, then
// interrupt OUT into the report sink and CTAPHID reports out on interrupt IN.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  UsbHidDevice,
  encodeSetupPacket,
  type UsbTransfer,
  type UsbTransferResult,
} from '../../emulator/usb/index.ts';

const identity = {
  vendorId: 0x1209,
  productId: 0x5070,
  manufacturer: 'Keyloop',
  product: 'Keyloop U2F',
  serialNumber: 'KL0001',
  deviceVersion: { major: 1, minor: 2, build: 3 },
};

function setup() {
  const received: Uint8Array[] = [];
  const resets: number[] = [];
  const device = new UsbHidDevice({ identity, receive: (report) => received.push(report), onReset: () => resets.push(1) });
  return { device, received, resets };
}

/** Submit and return the result, asserting that it completed at once. */
function run(device: UsbHidDevice, transfer: UsbTransfer): UsbTransferResult {
  let result: UsbTransferResult | undefined;
  device.submit(transfer, (r) => (result = r));
  assert.ok(result, 'transfer completed synchronously');
  return result;
}

function control(
  device: UsbHidDevice,
  fields: { requestType: number; request: number; value?: number; index?: number; length?: number },
  data = new Uint8Array(0),
): UsbTransferResult {
  const direction = fields.requestType & 0x80 ? 'in' : 'out';
  return run(device, { endpoint: 0, direction, setup: encodeSetupPacket(fields), data, length: fields.length ?? 0 });
}

const bytesOf = (result: UsbTransferResult) => (result.status === 'ok' ? [...result.data] : 'STALL');

const GET_DESCRIPTOR = 0x06;

test('enumeration: device (64 then 18), config (9 then 41), strings, qualifier STALL, report descriptor', () => {
  const { device } = setup();
  const first = control(device, { requestType: 0x80, request: GET_DESCRIPTOR, value: 0x0100, length: 64 });
  assert.equal(bytesOf(first), [...device.descriptors.device]);
  const header = control(device, { requestType: 0x80, request: GET_DESCRIPTOR, value: 0x0200, length: 9 });
  assert.equal(bytesOf(header), [...device.descriptors.configuration.subarray(0, 9)]);
  const full = control(device, { requestType: 0x80, request: GET_DESCRIPTOR, value: 0x0200, length: 41 });
  assert.equal(bytesOf(full), [...device.descriptors.configuration]);
  for (let index = 0; index <= 3; index++) {
    const s = control(device, { requestType: 0x80, request: GET_DESCRIPTOR, value: 0x0300 | index, index: 0x0409, length: 255 });
    assert.equal(bytesOf(s), [...device.descriptors.strings[index]]);
  }
  assert.is(control(device, { requestType: 0x80, request: GET_DESCRIPTOR, value: 0x0304, index: 0x0409, length: 255 }).status, 'stall');
  assert.is(control(device, { requestType: 0x80, request: GET_DESCRIPTOR, value: 0x0600, length: 10 }).status, 'stall');
  const report = control(device, { requestType: 0x81, request: GET_DESCRIPTOR, value: 0x2200, index: 0, length: 34 + 64 });
  assert.is(report.status === 'ok' && report.data.length, 34);
  const hid = control(device, { requestType: 0x81, request: GET_DESCRIPTOR, value: 0x2100, index: 0, length: 9 });
  assert.equal(bytesOf(hid), [...device.descriptors.hid]);
});

// Found by the usbip-wire fuzz target: GET_DESCRIPTOR(device) with wLength 18 in a URB whose
// transfer_buffer_length was 0 came back with 18 bytes, more than the host's buffer holds.
test('a control IN answer never exceeds the transfer buffer, even when wLength asks for more', () => {
  const { device } = setup();
  for (const length of [0, 8]) {
    const setupPacket = encodeSetupPacket({ requestType: 0x80, request: GET_DESCRIPTOR, value: 0x0100, length: 18 });
    const result = run(device, { endpoint: 0, direction: 'in', setup: setupPacket, data: new Uint8Array(0), length });
    assert.equal(bytesOf(result), [...device.descriptors.device.subarray(0, length)]);
    assert.is(result.status === 'ok' && result.actualLength, length);
  }
});

test('SET_CONFIGURATION, GET_CONFIGURATION, SET_IDLE, GET_IDLE, GET_STATUS, SET_INTERFACE', () => {
  const { device } = setup();
  assert.equal(bytesOf(control(device, { requestType: 0x80, request: 0x08, length: 1 })), [0]);
  assert.is(control(device, { requestType: 0x00, request: 0x09, value: 2 }).status, 'stall');
  assert.is(control(device, { requestType: 0x00, request: 0x09, value: 1 }).status, 'ok');
  assert.equal(bytesOf(control(device, { requestType: 0x80, request: 0x08, length: 1 })), [1]);
  assert.is(control(device, { requestType: 0x21, request: 0x0a, value: 0x0400, index: 0 }).status, 'ok');
  assert.equal(bytesOf(control(device, { requestType: 0xa1, request: 0x02, index: 0, length: 1 })), [4]);
  assert.equal(bytesOf(control(device, { requestType: 0x80, request: 0x00, length: 2 })), [0, 0]);
  assert.equal(bytesOf(control(device, { requestType: 0x81, request: 0x00, length: 2 })), [0, 0]);
  assert.is(control(device, { requestType: 0x01, request: 0x0b, value: 0, index: 0 }).status, 'ok');
  assert.is(control(device, { requestType: 0x01, request: 0x0b, value: 1, index: 0 }).status, 'stall');
  assert.equal(bytesOf(control(device, { requestType: 0x81, request: 0x0a, length: 1 })), [0]);
});

test('unsupported requests STALL: vendor, GET_REPORT, wrong interface, direction mismatch', () => {
  const { device } = setup();
  assert.is(control(device, { requestType: 0xc0, request: 0x01, length: 4 }).status, 'stall');
  assert.is(control(device, { requestType: 0xa1, request: 0x01, value: 0x0100, length: 64 }).status, 'stall');
  assert.is(control(device, { requestType: 0x81, request: GET_DESCRIPTOR, value: 0x2200, index: 1, length: 34 }).status, 'stall');
  const mismatch = run(device, {
    endpoint: 0,
    direction: 'out',
    setup: encodeSetupPacket({ requestType: 0x80, request: GET_DESCRIPTOR, value: 0x0100, length: 18 }),
    data: new Uint8Array(0),
    length: 18,
  });
  assert.is(mismatch.status, 'stall');
  assert.is(run(device, { endpoint: 0, direction: 'in', data: new Uint8Array(0), length: 8 }).status, 'stall');
});

test('interrupt transfers STALL until configured', () => {
  const { device, received } = setup();
  assert.is(run(device, { endpoint: 1, direction: 'out', data: new Uint8Array(64), length: 64 }).status, 'stall');
  assert.is(run(device, { endpoint: 1, direction: 'in', data: new Uint8Array(0), length: 64 }).status, 'stall');
  assert.is(received.length, 0);
});

test('interrupt OUT reaches the sink zero-padded to 64 bytes; over 64 bytes STALLs', () => {
  const { device, received } = setup();
  control(device, { requestType: 0x00, request: 0x09, value: 1 });
  const out = run(device, { endpoint: 1, direction: 'out', data: Uint8Array.of(1, 2, 3), length: 3 });
  assert.equal(out, { status: 'ok', data: new Uint8Array(0), actualLength: 3 });
  assert.is(received.length, 1);
  assert.is(received[0].length, 64);
  assert.equal([...received[0].subarray(0, 4)], [1, 2, 3, 0]);
  assert.is(run(device, { endpoint: 1, direction: 'out', data: new Uint8Array(65), length: 65 }).status, 'stall');
  assert.is(run(device, { endpoint: 2, direction: 'out', data: new Uint8Array(64), length: 64 }).status, 'stall');
});

test('SET_REPORT(output) on endpoint 0 also reaches the sink', () => {
  const { device, received } = setup();
  control(device, { requestType: 0x00, request: 0x09, value: 1 });
  const result = control(device, { requestType: 0x21, request: 0x09, value: 0x0200, index: 0, length: 64 }, new Uint8Array(64).fill(7));
  assert.is(result.status, 'ok');
  assert.is(received[0][63], 7);
});

test('interrupt IN: queued reports complete at once; otherwise the transfer waits, in FIFO order', () => {
  const { device } = setup();
  control(device, { requestType: 0x00, request: 0x09, value: 1 });
  device.send(Uint8Array.of(0xaa));
  const first = run(device, { endpoint: 1, direction: 'in', data: new Uint8Array(0), length: 64 });
  assert.is(first.status === 'ok' && first.data[0], 0xaa);

  const order: number[] = [];
  device.submit({ endpoint: 1, direction: 'in', data: new Uint8Array(0), length: 64 }, (r) => order.push(r.status === 'ok' ? r.data[0] * 10 + 1 : -1));
  device.submit({ endpoint: 1, direction: 'in', data: new Uint8Array(0), length: 64 }, (r) => order.push(r.status === 'ok' ? r.data[0] * 10 + 2 : -1));
  assert.equal(order, []);
  device.send(Uint8Array.of(1));
  device.send(Uint8Array.of(2));
  assert.equal(order, [11, 22]);
});

test('a cancelled IN transfer never completes and its report goes to the next one', () => {
  const { device } = setup();
  control(device, { requestType: 0x00, request: 0x09, value: 1 });
  let completions = 0;
  const handle = device.submit({ endpoint: 1, direction: 'in', data: new Uint8Array(0), length: 64 }, () => completions++);
  assert.is(handle.cancel(), true);
  assert.is(handle.cancel(), false);
  device.send(Uint8Array.of(9));
  assert.is(completions, 0);
  const next = run(device, { endpoint: 1, direction: 'in', data: new Uint8Array(0), length: 64 });
  assert.is(next.status === 'ok' && next.data[0], 9);
});

test('halted endpoint STALLs until CLEAR_FEATURE; reset unconfigures and drops pending and later reports', () => {
  const { device, resets } = setup();
  control(device, { requestType: 0x00, request: 0x09, value: 1 });
  assert.is(control(device, { requestType: 0x02, request: 0x03, value: 0, index: 0x81 }).status, 'ok');
  assert.equal(bytesOf(control(device, { requestType: 0x82, request: 0x00, index: 0x81, length: 2 })), [1, 0]);
  assert.is(run(device, { endpoint: 1, direction: 'in', data: new Uint8Array(0), length: 64 }).status, 'stall');
  assert.is(control(device, { requestType: 0x02, request: 0x01, value: 0, index: 0x81 }).status, 'ok');

  let completions = 0;
  device.submit({ endpoint: 1, direction: 'in', data: new Uint8Array(0), length: 64 }, () => completions++);
  device.reset();
  assert.is(resets.length, 1);
  device.send(Uint8Array.of(1));
  assert.is(completions, 0);
  assert.equal(bytesOf(control(device, { requestType: 0x80, request: 0x08, length: 1 })), [0]);
  // The report sent while unplugged is gone: the next host does not see it.
  control(device, { requestType: 0x00, request: 0x09, value: 1 });
  device.submit({ endpoint: 1, direction: 'in', data: new Uint8Array(0), length: 64 }, () => completions++);
  assert.is(completions, 0);
});

test.run();
