// USB 2.0 section 9.6 standard descriptors and HID 1.11 section 6.2.1 HID descriptor of the FIDO key:
// full speed, one configuration, one HID interface (3/0/0), interrupt IN 0x81 and OUT 0x01.
import { FIDO_HID_REPORT_DESCRIPTOR } from './hid-report-descriptor.ts';
import { type UsbIdentity, bcdDevice } from './usb-identity.ts';
import {
  DescriptorType,
  ENDPOINT_IN,
  ENDPOINT_OUT,
  FIDO_CONFIGURATION_VALUE,
  FIDO_INTERFACE,
  LANGID_EN_US,
  MAX_PACKET_SIZE,
  POLL_INTERVAL_MS,
} from './usb-constants.ts';

/** Every descriptor the device answers GET_DESCRIPTOR with, built once from the profile. */
export interface DescriptorSet {
  readonly device: Uint8Array;
  /** Configuration descriptor followed by interface, HID and endpoint descriptors (wTotalLength bytes). */
  readonly configuration: Uint8Array;
  /** The HID descriptor alone (also embedded in `configuration`). */
  readonly hid: Uint8Array;
  readonly report: Uint8Array;
  /** Index 0 is the LANGID table; 1 manufacturer, 2 product, 3 serial number. */
  readonly strings: readonly Uint8Array[];
}

export const StringIndex = { LANGIDS: 0, MANUFACTURER: 1, PRODUCT: 2, SERIAL_NUMBER: 3 } as const;

const USB_2_0 = 0x0200;
const HID_1_11 = 0x0111;
/** bmAttributes: bit 7 is reserved and set; bus powered, no remote wakeup. */
const BUS_POWERED = 0x80;
/** bMaxPower in 2 mA units: 100 mA. */
const MAX_POWER_2MA = 50;
const INTERRUPT = 0x03;
const HID_CLASS = 0x03;

export function buildDescriptors(identity: UsbIdentity): DescriptorSet {
  const device = Uint8Array.of(
    18, DescriptorType.DEVICE,
    ...le16(USB_2_0),
    0x00, 0x00, 0x00, // class, subclass, protocol: defined per interface
    MAX_PACKET_SIZE,
    ...le16(identity.vendorId),
    ...le16(identity.productId),
    ...le16(bcdDevice(identity.deviceVersion)),
    StringIndex.MANUFACTURER, StringIndex.PRODUCT, StringIndex.SERIAL_NUMBER,
    1, // bNumConfigurations
  );
  const hid = Uint8Array.of(
    9, DescriptorType.HID,
    ...le16(HID_1_11),
    0x00, // bCountryCode: not localized
    1, // bNumDescriptors
    DescriptorType.HID_REPORT,
    ...le16(FIDO_HID_REPORT_DESCRIPTOR.length),
  );
  const iface = Uint8Array.of(9, DescriptorType.INTERFACE, FIDO_INTERFACE, 0, 2, HID_CLASS, 0x00, 0x00, 0);
  const endpoint = (address: number) =>
    Uint8Array.of(7, DescriptorType.ENDPOINT, address, INTERRUPT, ...le16(MAX_PACKET_SIZE), POLL_INTERVAL_MS);
  const tail = [iface, hid, endpoint(ENDPOINT_IN), endpoint(ENDPOINT_OUT)];
  const totalLength = 9 + tail.reduce((sum, d) => sum + d.length, 0);
  const header = Uint8Array.of(
    9, DescriptorType.CONFIGURATION,
    ...le16(totalLength),
    1, // bNumInterfaces
    FIDO_CONFIGURATION_VALUE,
    0, // iConfiguration
    BUS_POWERED,
    MAX_POWER_2MA,
  );
  return {
    device,
    configuration: concat([header, ...tail]),
    hid,
    report: FIDO_HID_REPORT_DESCRIPTOR,
    strings: [
      Uint8Array.of(4, DescriptorType.STRING, ...le16(LANGID_EN_US)),
      stringDescriptor(identity.manufacturer),
      stringDescriptor(identity.product),
      stringDescriptor(identity.serialNumber),
    ],
  };
}

/** USB 2.0 section 9.6.7: UTF-16LE text after a 2-byte header; bLength caps it at 126 code units. */
export function stringDescriptor(text: string): Uint8Array {
  const units = Math.min(text.length, 126);
  const bytes = new Uint8Array(2 + units * 2);
  bytes[0] = bytes.length;
  bytes[1] = DescriptorType.STRING;
  for (let i = 0; i < units; i++) bytes.set(le16(text.charCodeAt(i)), 2 + i * 2);
  return bytes;
}

function le16(value: number): [number, number] {
  return [value & 0xff, (value >> 8) & 0xff];
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
