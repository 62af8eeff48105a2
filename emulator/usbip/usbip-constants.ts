// Linux Documentation/usb/usbip_protocol.rst, "Message Format": codes, sizes and status values
// of USB/IP v1.1.1. All integers on the wire are big-endian.

export const USBIP_VERSION = 0x0111;
export const USBIP_DEFAULT_PORT = 3240;

/** Operation codes of the connection phase (before OP_REP_IMPORT status 0). */
export const UsbipOp = {
  REQ_DEVLIST: 0x8005,
  REP_DEVLIST: 0x0005,
  REQ_IMPORT: 0x8003,
  REP_IMPORT: 0x0003,
} as const;

/** `command` of usbip_header_basic, the URB phase. */
export const UsbipCommand = {
  CMD_SUBMIT: 1,
  CMD_UNLINK: 2,
  RET_SUBMIT: 3,
  RET_UNLINK: 4,
} as const;

export const UsbipDirection = { OUT: 0, IN: 1 } as const;

/** OP_REP_* status: 0 OK, 1 error (unknown or busy bus id). */
export const UsbipStatus = { OK: 0, ERROR: 1 } as const;

/** Negative errno values carried in RET_SUBMIT / RET_UNLINK status. */
export const Errno = {
  /** Endpoint stalled. */
  EPIPE: -32,
  /** Protocol error: the device failed the transfer. */
  EPROTO: -71,
  /** Unlinked before completion. */
  ECONNRESET: -104,
} as const;

/** Linux `enum usb_device_speed` as the device record carries it. */
export const UsbipSpeed = { low: 1, full: 2, high: 3 } as const;

/** op_common: version (2), code (2), status (4). */
export const OP_HEADER_SIZE = 8;
export const BUS_ID_SIZE = 32;
export const PATH_SIZE = 256;
/** OP_REP_IMPORT's device record (usbip_usb_device): path, busid, ids and classes. */
export const DEVICE_RECORD_SIZE = 312;
/** OP_REP_DEVLIST adds 4 bytes per interface (class, subclass, protocol, padding). */
export const INTERFACE_RECORD_SIZE = 4;
/** Every URB-phase header (CMD/RET SUBMIT/UNLINK) is 48 bytes. */
export const URB_HEADER_SIZE = 48;
/** number_of_packets of a non-isochronous transfer. */
export const NOT_ISO = 0xffffffff;
