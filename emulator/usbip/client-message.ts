// Linux Documentation/usb/usbip_protocol.rst: what a client (vhci-hcd, the usbip tool, our
// harness) sends: OP_REQ_DEVLIST / OP_REQ_IMPORT, then USBIP_CMD_SUBMIT / USBIP_CMD_UNLINK.
// Parsing is by length from a buffer that may hold part of a message or several: a TCP read
// is never assumed to be one message.
import {
  BUS_ID_SIZE,
  NOT_ISO,
  OP_HEADER_SIZE,
  URB_HEADER_SIZE,
  USBIP_VERSION,
  UsbipCommand,
  UsbipDirection,
  UsbipOp,
} from './usbip-constants.ts';

export type ClientMessage =
  | { readonly kind: 'devlist' }
  | { readonly kind: 'import'; readonly busId: string }
  | {
      readonly kind: 'submit';
      readonly seqnum: number;
      readonly devid: number;
      readonly direction: 'in' | 'out';
      /** Endpoint number 0..15. */
      readonly endpoint: number;
      readonly transferFlags: number;
      /** transfer_buffer_length: OUT bytes that follow, or the IN buffer size. */
      readonly length: number;
      readonly setup: Uint8Array;
      /** OUT payload (empty for IN). */
      readonly data: Uint8Array;
    }
  | { readonly kind: 'unlink'; readonly seqnum: number; readonly devid: number; readonly unlinkSeqnum: number };

/** Before a successful import the connection carries operations; after it, URBs. */
export type SessionPhase = 'operation' | 'urb';

export type MalformedCode =
  | 'UNSUPPORTED_VERSION'
  | 'UNKNOWN_OPERATION'
  | 'UNKNOWN_COMMAND'
  | 'BAD_DIRECTION'
  | 'BAD_ENDPOINT'
  | 'LENGTH_TOO_LARGE'
  | 'ISOCHRONOUS';

export type ParseResult =
  | { readonly kind: 'incomplete' }
  | { readonly kind: 'message'; readonly message: ClientMessage; /** bytes consumed */ readonly size: number }
  | { readonly kind: 'malformed'; readonly code: MalformedCode; readonly detail: string };

const INCOMPLETE: ParseResult = { kind: 'incomplete' };

export interface ParseOptions {
  /** Which messages are legal now. */
  phase: SessionPhase;
  /** Largest transfer_buffer_length accepted; larger is an absurd length and ends the connection. */
  maxTransferLength: number;
}

/** Parse the first message in `bytes`, or say that more bytes are needed, or that it is malformed. */
export function parseClientMessage(bytes: Uint8Array, { phase, maxTransferLength }: ParseOptions): ParseResult {
  return phase === 'operation' ? parseOperation(bytes) : parseUrbCommand(bytes, maxTransferLength);
}

function parseOperation(bytes: Uint8Array): ParseResult {
  if (bytes.length < OP_HEADER_SIZE) return INCOMPLETE;
  const view = viewOf(bytes);
  const version = view.getUint16(0);
  const code = view.getUint16(2);
  if (version !== USBIP_VERSION) {
    return malformed('UNSUPPORTED_VERSION', `version 0x${hex(version, 4)}, expected 0x${hex(USBIP_VERSION, 4)}`);
  }
  if (code === UsbipOp.REQ_DEVLIST) return { kind: 'message', message: { kind: 'devlist' }, size: OP_HEADER_SIZE };
  if (code === UsbipOp.REQ_IMPORT) {
    const size = OP_HEADER_SIZE + BUS_ID_SIZE;
    if (bytes.length < size) return INCOMPLETE;
    return { kind: 'message', message: { kind: 'import', busId: readString(bytes.subarray(OP_HEADER_SIZE, size)) }, size };
  }
  return malformed('UNKNOWN_OPERATION', `operation code 0x${hex(code, 4)}`);
}

function parseUrbCommand(bytes: Uint8Array, maxTransferLength: number): ParseResult {
  if (bytes.length < URB_HEADER_SIZE) return INCOMPLETE;
  const view = viewOf(bytes);
  const command = view.getUint32(0);
  const seqnum = view.getUint32(4);
  const devid = view.getUint32(8);
  if (command === UsbipCommand.CMD_UNLINK) {
    return { kind: 'message', message: { kind: 'unlink', seqnum, devid, unlinkSeqnum: view.getUint32(20) }, size: URB_HEADER_SIZE };
  }
  if (command !== UsbipCommand.CMD_SUBMIT) return malformed('UNKNOWN_COMMAND', `command 0x${hex(command, 8)}`);

  const rawDirection = view.getUint32(12);
  const endpoint = view.getUint32(16);
  const length = view.getUint32(24);
  const packets = view.getUint32(32);
  if (rawDirection !== UsbipDirection.IN && rawDirection !== UsbipDirection.OUT) {
    return malformed('BAD_DIRECTION', `direction ${rawDirection}`);
  }
  if (endpoint > 15) return malformed('BAD_ENDPOINT', `endpoint ${endpoint}`);
  if (length > maxTransferLength) {
    return malformed('LENGTH_TOO_LARGE', `transfer_buffer_length ${length}, at most ${maxTransferLength}`);
  }
  // Our devices have no isochronous endpoints, so no iso_packet_descriptor may follow.
  if (packets !== 0 && packets !== NOT_ISO) return malformed('ISOCHRONOUS', `number_of_packets ${packets}`);
  const direction = rawDirection === UsbipDirection.IN ? 'in' : 'out';
  const size = URB_HEADER_SIZE + (direction === 'out' ? length : 0);
  if (bytes.length < size) return INCOMPLETE;
  return {
    kind: 'message',
    message: {
      kind: 'submit',
      seqnum,
      devid,
      direction,
      endpoint,
      transferFlags: view.getUint32(20),
      length,
      setup: bytes.slice(40, 48),
      data: bytes.slice(URB_HEADER_SIZE, size),
    },
    size,
  };
}

function malformed(code: MalformedCode, detail: string): ParseResult {
  return { kind: 'malformed', code, detail };
}

function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** A NUL-terminated string field (the terminator may be missing when the field is full). */
function readString(field: Uint8Array): string {
  const end = field.indexOf(0);
  return new TextDecoder().decode(end < 0 ? field : field.subarray(0, end));
}

function hex(value: number, digits: number): string {
  return value.toString(16).padStart(digits, '0');
}
