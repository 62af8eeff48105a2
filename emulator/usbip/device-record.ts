// Linux Documentation/usb/usbip_protocol.rst, OP_REP_DEVLIST / OP_REP_IMPORT: the 312-byte
// usbip_usb_device record, plus 4 bytes per interface in the device list.
import type { UsbDeviceSummary } from '../usb/index.ts';
import { BUS_ID_SIZE, DEVICE_RECORD_SIZE, INTERFACE_RECORD_SIZE, PATH_SIZE, UsbipSpeed } from './usbip-constants.ts';

/** Where an exported device sits: `busId` is `BUSNUM-DEVNUM`, as on a Linux host ("1-1"). */
export interface UsbipDeviceAddress {
  readonly busId: string;
  readonly busnum: number;
  readonly devnum: number;
  /** The sysfs-like path the record shows (informational only). */
  readonly path: string;
}

/** `1-2` -> busnum 1, devnum 2; null for anything else (usbip's bus ids here are always this shape). */
export function parseBusId(busId: string): UsbipDeviceAddress | null {
  const match = /^(\d{1,3})-(\d{1,3})$/.exec(busId);
  if (!match) return null;
  const busnum = Number(match[1]);
  const devnum = Number(match[2]);
  if (busnum < 1 || devnum < 1 || devnum > 127) return null;
  return { busId, busnum, devnum, path: `/sys/devices/platform/keyloop/usb${busnum}/${busId}` };
}

/** The 312-byte record; with `withInterfaces`, followed by the interface triples (device list form). */
export function encodeDeviceRecord({
  address,
  summary,
  withInterfaces = false,
}: {
  /** Bus id, numbers and path of the device. */
  address: UsbipDeviceAddress;
  /** Ids and classes from the device's descriptors. */
  summary: UsbDeviceSummary;
  /** OP_REP_DEVLIST appends the interfaces; OP_REP_IMPORT does not. */
  withInterfaces?: boolean;
}): Uint8Array {
  const interfaces = withInterfaces ? summary.interfaces : [];
  const bytes = new Uint8Array(DEVICE_RECORD_SIZE + interfaces.length * INTERFACE_RECORD_SIZE);
  const view = new DataView(bytes.buffer);
  writeString(bytes, 0, PATH_SIZE, address.path);
  writeString(bytes, PATH_SIZE, BUS_ID_SIZE, address.busId);
  let at = PATH_SIZE + BUS_ID_SIZE;
  view.setUint32(at, address.busnum);
  view.setUint32(at + 4, address.devnum);
  view.setUint32(at + 8, UsbipSpeed[summary.speed]);
  view.setUint16(at + 12, summary.vendorId);
  view.setUint16(at + 14, summary.productId);
  view.setUint16(at + 16, summary.bcdDevice);
  at += 18;
  bytes.set(
    [
      summary.deviceClass,
      summary.deviceSubClass,
      summary.deviceProtocol,
      summary.configurationValue,
      summary.numConfigurations,
      summary.interfaces.length,
    ],
    at,
  );
  interfaces.forEach((iface, i) => {
    bytes.set(
      [iface.interfaceClass, iface.interfaceSubClass, iface.interfaceProtocol, 0],
      DEVICE_RECORD_SIZE + i * INTERFACE_RECORD_SIZE,
    );
  });
  return bytes;
}

/** NUL-terminated ASCII in a fixed field: at most size-1 characters, the rest zero. */
function writeString(bytes: Uint8Array, offset: number, size: number, text: string): void {
  const encoded = new TextEncoder().encode(text).subarray(0, size - 1);
  bytes.set(encoded, offset);
}
