// Linux Documentation/usb/usbip_protocol.rst: what the server sends: OP_REP_DEVLIST,
// OP_REP_IMPORT, USBIP_RET_SUBMIT and USBIP_RET_UNLINK. Per the document, devid, direction
// and ep of a reply are 0.
import {
  DEVICE_RECORD_SIZE,
  OP_HEADER_SIZE,
  URB_HEADER_SIZE,
  USBIP_VERSION,
  UsbipCommand,
  UsbipOp,
  UsbipStatus,
} from './usbip-constants.ts';

/** OP_REP_DEVLIST: header, device count, then each device record with its interfaces. */
export function encodeDevlistReply(records: readonly Uint8Array[]): Uint8Array {
  const bytes = new Uint8Array(OP_HEADER_SIZE + 4 + records.reduce((sum, r) => sum + r.length, 0));
  const view = new DataView(bytes.buffer);
  writeOpHeader(view, UsbipOp.REP_DEVLIST, UsbipStatus.OK);
  view.setUint32(OP_HEADER_SIZE, records.length);
  let at = OP_HEADER_SIZE + 4;
  for (const record of records) {
    bytes.set(record, at);
    at += record.length;
  }
  return bytes;
}

/** OP_REP_IMPORT: status 0 and the 312-byte record, or status 1 alone when `record` is null. */
export function encodeImportReply(record: Uint8Array | null): Uint8Array {
  const bytes = new Uint8Array(OP_HEADER_SIZE + (record ? DEVICE_RECORD_SIZE : 0));
  writeOpHeader(new DataView(bytes.buffer), UsbipOp.REP_IMPORT, record ? UsbipStatus.OK : UsbipStatus.ERROR);
  if (record) bytes.set(record.subarray(0, DEVICE_RECORD_SIZE), OP_HEADER_SIZE);
  return bytes;
}

/** USBIP_RET_SUBMIT; `data` (IN payload) follows the header. */
export function encodeRetSubmit({
  seqnum,
  status,
  actualLength,
  data = new Uint8Array(0),
}: {
  /** seqnum of the CMD_SUBMIT answered. */
  seqnum: number;
  /** 0, or a negative errno (Errno). */
  status: number;
  /** Bytes moved: the IN payload length, or the OUT bytes accepted. */
  actualLength: number;
  /** IN payload. */
  data?: Uint8Array;
}): Uint8Array {
  const bytes = new Uint8Array(URB_HEADER_SIZE + data.length);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, UsbipCommand.RET_SUBMIT);
  view.setUint32(4, seqnum);
  view.setInt32(20, status);
  view.setUint32(24, actualLength);
  // start_frame, number_of_packets and error_count stay 0: no isochronous transfers.
  bytes.set(data, URB_HEADER_SIZE);
  return bytes;
}

/** USBIP_RET_UNLINK: -ECONNRESET if the URB was still pending, 0 if it had completed. */
export function encodeRetUnlink({
  seqnum,
  status,
}: {
  /** seqnum of the CMD_UNLINK answered (not of the URB it names). */
  seqnum: number;
  /** Errno.ECONNRESET or 0. */
  status: number;
}): Uint8Array {
  const bytes = new Uint8Array(URB_HEADER_SIZE);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, UsbipCommand.RET_UNLINK);
  view.setUint32(4, seqnum);
  view.setInt32(20, status);
  return bytes;
}

function writeOpHeader(view: DataView, code: number, status: number): void {
  view.setUint16(0, USBIP_VERSION);
  view.setUint16(2, code);
  view.setUint32(4, status);
}
