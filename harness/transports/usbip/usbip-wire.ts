// The client half of Linux Documentation/usb/usbip_protocol.rst: encode OP_REQ_DEVLIST,
// OP_REQ_IMPORT, USBIP_CMD_SUBMIT and USBIP_CMD_UNLINK; decode the server's replies.
// Written apart from the emulator's server so that each checks the other. Big-endian throughout.
import { UsbipClientError } from './usbip-client-error.ts';

export const USBIP_VERSION = 0x0111;
export const OP_HEADER_SIZE = 8;
export const DEVICE_RECORD_SIZE = 312;
export const URB_HEADER_SIZE = 48;
const BUS_ID_SIZE = 32;

export const Op = { REQ_DEVLIST: 0x8005, REP_DEVLIST: 0x0005, REQ_IMPORT: 0x8003, REP_IMPORT: 0x0003 } as const;
export const Command = { CMD_SUBMIT: 1, CMD_UNLINK: 2, RET_SUBMIT: 3, RET_UNLINK: 4 } as const;
export const ECONNRESET = -104;
export const EPIPE = -32;

/** One exported device as OP_REP_DEVLIST / OP_REP_IMPORT describe it. */
export interface UsbipDeviceInfo {
  readonly path: string;
  readonly busId: string;
  readonly busnum: number;
  readonly devnum: number;
  /** Linux usb_device_speed: 1 low, 2 full, 3 high, 5 super. */
  readonly speed: number;
  readonly vendorId: number;
  readonly productId: number;
  readonly bcdDevice: number;
  readonly deviceClass: number;
  readonly deviceSubClass: number;
  readonly deviceProtocol: number;
  readonly configurationValue: number;
  readonly numConfigurations: number;
  readonly numInterfaces: number;
  /** Class, subclass, protocol per interface (device list only; empty after import). */
  readonly interfaces: ReadonlyArray<{ interfaceClass: number; interfaceSubClass: number; interfaceProtocol: number }>;
}

export function encodeDevlistRequest(): Uint8Array {
  return opHeader(Op.REQ_DEVLIST);
}

export function encodeImportRequest(busId: string): Uint8Array {
  const bytes = new Uint8Array(OP_HEADER_SIZE + BUS_ID_SIZE);
  bytes.set(opHeader(Op.REQ_IMPORT));
  bytes.set(new TextEncoder().encode(busId).subarray(0, BUS_ID_SIZE - 1), OP_HEADER_SIZE);
  return bytes;
}

/** Check an 8-byte op_common reply; returns its status. */
export function decodeOpHeader(bytes: Uint8Array, expectedCode: number): number {
  expectLength(bytes, OP_HEADER_SIZE, 'op header');
  const view = viewOf(bytes);
  const version = view.getUint16(0);
  const code = view.getUint16(2);
  if (version !== USBIP_VERSION || code !== expectedCode) {
    throw new UsbipClientError(
      'PROTOCOL',
      `reply version 0x${version.toString(16)} code 0x${code.toString(16)}, expected 0x0111 / 0x${expectedCode.toString(16)}`,
    );
  }
  return view.getUint32(4);
}

/** OP_REP_DEVLIST's 4 bytes per interface (class, subclass, protocol, padding). */
export function decodeInterfaceRecords(bytes: Uint8Array): UsbipDeviceInfo['interfaces'] {
  if (bytes.length % 4 !== 0) throw new UsbipClientError('PROTOCOL', `interface records: ${bytes.length} bytes is not a multiple of 4`);
  const interfaces = [];
  for (let at = 0; at < bytes.length; at += 4) {
    interfaces.push({ interfaceClass: bytes[at], interfaceSubClass: bytes[at + 1], interfaceProtocol: bytes[at + 2] });
  }
  return interfaces;
}

/** The 312-byte usbip_usb_device record. */
export function decodeDeviceRecord(bytes: Uint8Array): UsbipDeviceInfo {
  expectLength(bytes, DEVICE_RECORD_SIZE, 'device record');
  const view = viewOf(bytes);
  return {
    path: readString(bytes.subarray(0, 256)),
    busId: readString(bytes.subarray(256, 288)),
    busnum: view.getUint32(288),
    devnum: view.getUint32(292),
    speed: view.getUint32(296),
    vendorId: view.getUint16(300),
    productId: view.getUint16(302),
    bcdDevice: view.getUint16(304),
    deviceClass: bytes[306],
    deviceSubClass: bytes[307],
    deviceProtocol: bytes[308],
    configurationValue: bytes[309],
    numConfigurations: bytes[310],
    numInterfaces: bytes[311],
    interfaces: [],
  };
}

export interface SubmitCommand {
  readonly seqnum: number;
  /** (busnum << 16) | devnum of the imported device. */
  readonly devid: number;
  readonly direction: 'in' | 'out';
  readonly endpoint: number;
  /** IN buffer size; ignored for OUT, where data.length is sent. */
  readonly length: number;
  readonly setup?: Uint8Array;
  readonly data?: Uint8Array;
}

export function encodeSubmit({ seqnum, devid, direction, endpoint, length, setup, data }: SubmitCommand): Uint8Array {
  const payload = direction === 'out' ? (data ?? new Uint8Array(0)) : new Uint8Array(0);
  const bytes = new Uint8Array(URB_HEADER_SIZE + payload.length);
  const view = viewOf(bytes);
  view.setUint32(0, Command.CMD_SUBMIT);
  view.setUint32(4, seqnum);
  view.setUint32(8, devid);
  view.setUint32(12, direction === 'in' ? 1 : 0);
  view.setUint32(16, endpoint);
  view.setUint32(20, direction === 'in' ? 0x200 : 0); // URB_DIR_IN, as the kernel sets it
  view.setUint32(24, direction === 'out' ? payload.length : length);
  view.setUint32(32, 0xffffffff); // number_of_packets: not isochronous
  if (setup) bytes.set(setup.subarray(0, 8), 40);
  bytes.set(payload, URB_HEADER_SIZE);
  return bytes;
}

export function encodeUnlink({ seqnum, devid, unlinkSeqnum }: { seqnum: number; devid: number; unlinkSeqnum: number }): Uint8Array {
  const bytes = new Uint8Array(URB_HEADER_SIZE);
  const view = viewOf(bytes);
  view.setUint32(0, Command.CMD_UNLINK);
  view.setUint32(4, seqnum);
  view.setUint32(8, devid);
  view.setUint32(20, unlinkSeqnum);
  return bytes;
}

export interface UrbReplyHeader {
  readonly command: number;
  readonly seqnum: number;
  /** 0 or a negative errno. */
  readonly status: number;
  /** RET_SUBMIT only: bytes moved (IN data of this length follows the header). */
  readonly actualLength: number;
}

export function decodeUrbReplyHeader(bytes: Uint8Array): UrbReplyHeader {
  expectLength(bytes, URB_HEADER_SIZE, 'URB reply header');
  const view = viewOf(bytes);
  const command = view.getUint32(0);
  if (command !== Command.RET_SUBMIT && command !== Command.RET_UNLINK) {
    throw new UsbipClientError('PROTOCOL', `unexpected URB reply command 0x${command.toString(16)}`);
  }
  return { command, seqnum: view.getUint32(4), status: view.getInt32(20), actualLength: view.getUint32(24) };
}

function opHeader(code: number): Uint8Array {
  const bytes = new Uint8Array(OP_HEADER_SIZE);
  const view = viewOf(bytes);
  view.setUint16(0, USBIP_VERSION);
  view.setUint16(2, code);
  return bytes;
}

function expectLength(bytes: Uint8Array, expected: number, what: string): void {
  if (bytes.length !== expected) throw new UsbipClientError('PROTOCOL', `${what}: expected ${expected} bytes, got ${bytes.length}`);
}

function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function readString(field: Uint8Array): string {
  const end = field.indexOf(0);
  return new TextDecoder().decode(end < 0 ? field : field.subarray(0, end));
}
