// The FIDO HID report descriptor: FIDO U2F HID Protocol v1.1 section 4 / CTAP 2.1 section 11.2.8.1
// ("HID report descriptor and device discovery"), items encoded per HID 1.11 section 6.2.2.

/** 34 bytes: usage page 0xF1D0, usage 0x01, 64 input bytes (usage 0x20), 64 output bytes (usage 0x21). */
export const FIDO_HID_REPORT_DESCRIPTOR: Uint8Array = Uint8Array.of(
  0x06, 0xd0, 0xf1, // Usage Page (FIDO Alliance, 0xF1D0)
  0x09, 0x01, //       Usage (U2F Authenticator Device)
  0xa1, 0x01, //       Collection (Application)
  0x09, 0x20, //         Usage (Input Report Data)
  0x15, 0x00, //         Logical Minimum (0)
  0x26, 0xff, 0x00, //   Logical Maximum (255)
  0x75, 0x08, //         Report Size (8)
  0x95, 0x40, //         Report Count (64)
  0x81, 0x02, //         Input (Data, Variable, Absolute)
  0x09, 0x21, //         Usage (Output Report Data)
  0x15, 0x00, //         Logical Minimum (0)
  0x26, 0xff, 0x00, //   Logical Maximum (255)
  0x75, 0x08, //         Report Size (8)
  0x95, 0x40, //         Report Count (64)
  0x91, 0x02, //         Output (Data, Variable, Absolute)
  0xc0, //             End Collection
);

export const FIDO_USAGE_PAGE = 0xf1d0;
