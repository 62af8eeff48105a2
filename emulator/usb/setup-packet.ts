// USB 2.0 section 9.3: the 8-byte SETUP packet of a control transfer (little-endian fields).
import { UsbError } from './usb-error.ts';

export type RequestDirection = 'in' | 'out';
export type RequestType = 'standard' | 'class' | 'vendor' | 'reserved';
export type RequestRecipient = 'device' | 'interface' | 'endpoint' | 'other';

export interface SetupPacket {
  /** The raw bmRequestType byte, e.g. 0x80 (standard device IN) or 0x81 (standard interface IN). */
  readonly requestType: number;
  readonly direction: RequestDirection;
  readonly type: RequestType;
  readonly recipient: RequestRecipient;
  readonly request: number;
  readonly value: number;
  readonly index: number;
  readonly length: number;
}

export const SETUP_PACKET_SIZE = 8;

const TYPES: readonly RequestType[] = ['standard', 'class', 'vendor', 'reserved'];
const RECIPIENTS: readonly RequestRecipient[] = ['device', 'interface', 'endpoint', 'other'];

export function parseSetupPacket(bytes: Uint8Array): SetupPacket {
  if (bytes.length !== SETUP_PACKET_SIZE) {
    throw new UsbError('BAD_SETUP', `setup packet: expected ${SETUP_PACKET_SIZE} bytes, got ${bytes.length}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const requestType = bytes[0];
  return {
    requestType,
    direction: requestType & 0x80 ? 'in' : 'out',
    type: TYPES[(requestType >> 5) & 0x03],
    // Recipients 4..31 are reserved; folding them into 'other' makes them unsupported (STALL).
    recipient: RECIPIENTS[Math.min(requestType & 0x1f, 3)],
    request: bytes[1],
    value: view.getUint16(2, true),
    index: view.getUint16(4, true),
    length: view.getUint16(6, true),
  };
}

/** Build a setup packet from its fields (what a host sends; used by tests and host-side tools). */
export function encodeSetupPacket({
  requestType,
  request,
  value = 0,
  index = 0,
  length = 0,
}: {
  /** bmRequestType */
  requestType: number;
  /** bRequest */
  request: number;
  /** wValue */
  value?: number;
  /** wIndex */
  index?: number;
  /** wLength */
  length?: number;
}): Uint8Array {
  const bytes = new Uint8Array(SETUP_PACKET_SIZE);
  const view = new DataView(bytes.buffer);
  bytes[0] = requestType;
  bytes[1] = request;
  view.setUint16(2, value, true);
  view.setUint16(4, index, true);
  view.setUint16(6, length, true);
  return bytes;
}
