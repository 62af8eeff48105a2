// Find the FIDO HID interface in descriptors a device returned: USB 2.0 section 9.6 (configuration
// walk), HID 1.11 section 6.2.2 (report descriptor items), FIDO U2F HID section 4 (usage page 0xF1D0).

export interface FidoInterface {
  readonly configurationValue: number;
  readonly interfaceNumber: number;
  /** Endpoint numbers (without the direction bit) of the interrupt pipes. */
  readonly inEndpoint: number;
  readonly outEndpoint: number;
  /** wMaxPacketSize of the IN endpoint: the report size. */
  readonly maxPacketSize: number;
}

const INTERFACE = 0x04;
const ENDPOINT = 0x05;
const HID_CLASS = 0x03;
const INTERRUPT = 0x03;

/** The first HID interface with an interrupt IN and OUT endpoint, from a full configuration descriptor. */
export function findHidInterface(configuration: Uint8Array): FidoInterface | null {
  if (configuration.length < 9) return null;
  const configurationValue = configuration[5];
  let current: { interfaceNumber: number; isHid: boolean } | null = null;
  let inEndpoint: { address: number; maxPacketSize: number } | null = null;
  let outEndpoint: number | null = null;
  for (let at = 0; at + 2 <= configuration.length; ) {
    const length = configuration[at];
    const type = configuration[at + 1];
    if (length < 2 || at + length > configuration.length) return null;
    if (type === INTERFACE && length >= 9) {
      if (current?.isHid && inEndpoint && outEndpoint !== null) break;
      current = { interfaceNumber: configuration[at + 2], isHid: configuration[at + 5] === HID_CLASS };
      inEndpoint = null;
      outEndpoint = null;
    } else if (type === ENDPOINT && length >= 7 && current?.isHid && (configuration[at + 3] & 0x03) === INTERRUPT) {
      const address = configuration[at + 2];
      if (address & 0x80) inEndpoint = { address, maxPacketSize: configuration[at + 4] | (configuration[at + 5] << 8) };
      else outEndpoint = address;
    }
    at += length;
  }
  if (!current?.isHid || !inEndpoint || outEndpoint === null) return null;
  return {
    configurationValue,
    interfaceNumber: current.interfaceNumber,
    inEndpoint: inEndpoint.address & 0x0f,
    outEndpoint: outEndpoint & 0x0f,
    maxPacketSize: inEndpoint.maxPacketSize,
  };
}

/** True if a HID report descriptor declares usage page 0xF1D0 (FIDO Alliance). */
export function declaresFidoUsagePage(report: Uint8Array): boolean {
  for (let at = 0; at < report.length; ) {
    const prefix = report[at];
    if (prefix === 0xfe) {
      // Long item: bDataSize, bLongItemTag, data.
      if (at + 1 >= report.length) return false;
      at += 3 + report[at + 1];
      continue;
    }
    const size = [0, 1, 2, 4][prefix & 0x03];
    if (at + 1 + size > report.length) return false;
    // Usage Page is global item tag 0 (prefix 0x04 | size).
    if ((prefix & 0xfc) === 0x04) {
      let value = 0;
      for (let i = size - 1; i >= 0; i--) value = value * 256 + report[at + 1 + i];
      if (value === 0xf1d0) return true;
    }
    at += 1 + size;
  }
  return false;
}
