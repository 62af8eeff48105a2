// Named constants of USB 2.0 chapter 9 (standard requests, descriptor types) and of the
// Device Class Definition for HID 1.11 section 7 (class requests, class descriptor types).

export const DescriptorType = {
  DEVICE: 0x01,
  CONFIGURATION: 0x02,
  STRING: 0x03,
  INTERFACE: 0x04,
  ENDPOINT: 0x05,
  DEVICE_QUALIFIER: 0x06,
  OTHER_SPEED_CONFIGURATION: 0x07,
  HID: 0x21,
  HID_REPORT: 0x22,
} as const;

export const StandardRequest = {
  GET_STATUS: 0x00,
  CLEAR_FEATURE: 0x01,
  SET_FEATURE: 0x03,
  SET_ADDRESS: 0x05,
  GET_DESCRIPTOR: 0x06,
  SET_DESCRIPTOR: 0x07,
  GET_CONFIGURATION: 0x08,
  SET_CONFIGURATION: 0x09,
  GET_INTERFACE: 0x0a,
  SET_INTERFACE: 0x0b,
  SYNCH_FRAME: 0x0c,
} as const;

export const HidRequest = {
  GET_REPORT: 0x01,
  GET_IDLE: 0x02,
  GET_PROTOCOL: 0x03,
  SET_REPORT: 0x09,
  SET_IDLE: 0x0a,
  SET_PROTOCOL: 0x0b,
} as const;

/** HID 1.11 section 7.2.1: the high byte of wValue in GET_REPORT / SET_REPORT. */
export const HidReportType = { INPUT: 0x01, OUTPUT: 0x02, FEATURE: 0x03 } as const;

/** USB 2.0 table 9-6: feature selectors for SET_FEATURE / CLEAR_FEATURE. */
export const FeatureSelector = { ENDPOINT_HALT: 0x00, DEVICE_REMOTE_WAKEUP: 0x01 } as const;

/** The FIDO key's fixed shape (PROTOCOLS.md "USB device"): one HID interface, two interrupt endpoints. */
export const FIDO_INTERFACE = 0;
export const FIDO_CONFIGURATION_VALUE = 1;
export const ENDPOINT_IN = 0x81;
export const ENDPOINT_OUT = 0x01;
export const MAX_PACKET_SIZE = 64;
/** bInterval in frames (ms at full speed). */
export const POLL_INTERVAL_MS = 5;
/** English (United States), the only language the string descriptors offer. */
export const LANGID_EN_US = 0x0409;
