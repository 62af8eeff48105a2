// Descriptor bytes against the layouts of USB 2.0 section 9.6, HID 1.11 section 6.2 and the FIDO
// U2F HID report descriptor (PROTOCOLS.md "USB device").
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FIDO_HID_REPORT_DESCRIPTOR, bcdDevice, buildDescriptors, stringDescriptor } from '../../emulator/usb/index.ts';

const identity = {
  vendorId: 0x1050,
  productId: 0x0120,
  manufacturer: 'Keyloop',
  product: 'Keyloop U2F',
  serialNumber: 'KL0001',
  deviceVersion: { major: 5, minor: 12, build: 3 },
};

const u16 = (bytes: Uint8Array, at: number) => bytes[at] | (bytes[at + 1] << 8);

test('FIDO report descriptor is the 34 bytes of the spec', () => {
  assert.is(FIDO_HID_REPORT_DESCRIPTOR.length, 34);
  assert.equal(
    Buffer.from(FIDO_HID_REPORT_DESCRIPTOR).toString('hex'),
    '06d0f1' + '0901' + 'a101' + '0920' + '1500' + '26ff00' + '7508' + '9540' + '8102' +
      '0921' + '1500' + '26ff00' + '7508' + '9540' + '9102' + 'c0',
  );
});

test('device descriptor: 18 bytes, USB 2.0, class per interface, ids, bcdDevice, string indexes', () => {
  const { device } = buildDescriptors(identity);
  assert.is(device.length, 18);
  assert.is(device[0], 18);
  assert.is(device[1], 0x01);
  assert.is(u16(device, 2), 0x0200);
  assert.equal([device[4], device[5], device[6]], [0, 0, 0]);
  assert.is(device[7], 64);
  assert.is(u16(device, 8), 0x1050);
  assert.is(u16(device, 10), 0x0120);
  assert.is(u16(device, 12), 0x0512);
  assert.equal([device[14], device[15], device[16]], [1, 2, 3]);
  assert.is(device[17], 1);
});

test('configuration descriptor: 41 bytes of config, HID interface, HID and two interrupt endpoints', () => {
  const { configuration, hid } = buildDescriptors(identity);
  assert.is(configuration.length, 41);
  // Configuration
  assert.equal([...configuration.subarray(0, 2)], [9, 0x02]);
  assert.is(u16(configuration, 2), 41);
  assert.is(configuration[4], 1); // bNumInterfaces
  assert.is(configuration[5], 1); // bConfigurationValue
  assert.is(configuration[7] & 0x80, 0x80);
  // Interface: number 0, alt 0, two endpoints, class 3/0/0
  assert.equal([...configuration.subarray(9, 18)], [9, 0x04, 0, 0, 2, 3, 0, 0, 0]);
  // HID descriptor: HID 1.11, one report descriptor of 34 bytes
  assert.equal([...configuration.subarray(18, 27)], [...hid]);
  assert.equal([...hid], [9, 0x21, 0x11, 0x01, 0, 1, 0x22, 34, 0]);
  // Endpoints: interrupt IN 0x81 and OUT 0x01, 64 bytes
  assert.equal([...configuration.subarray(27, 34)], [7, 0x05, 0x81, 0x03, 64, 0, 5]);
  assert.equal([...configuration.subarray(34, 41)], [7, 0x05, 0x01, 0x03, 64, 0, 5]);
});

test('string descriptors: LANGID 0x0409 at index 0, then UTF-16LE manufacturer, product, serial', () => {
  const { strings } = buildDescriptors(identity);
  assert.equal([...strings[0]], [4, 0x03, 0x09, 0x04]);
  const text = (d: Uint8Array) => Buffer.from(d.subarray(2)).toString('utf16le');
  assert.is(strings[1][0], 2 + 2 * 'Keyloop'.length);
  assert.is(strings[1][1], 0x03);
  assert.is(text(strings[1]), 'Keyloop');
  assert.is(text(strings[2]), 'Keyloop U2F');
  assert.is(text(strings[3]), 'KL0001');
});

test('a string too long for bLength is cut at 126 UTF-16 code units', () => {
  const d = stringDescriptor('x'.repeat(300));
  assert.is(d.length, 254);
  assert.is(d[0], 254);
});

test('bcdDevice encodes major.minor in BCD and clamps to 99', () => {
  assert.is(bcdDevice({ major: 1, minor: 0, build: 0 }), 0x0100);
  assert.is(bcdDevice({ major: 42, minor: 7, build: 9 }), 0x4207);
  assert.is(bcdDevice({ major: 120, minor: -1, build: 0 }), 0x9900);
});

test.run();
