// What the USB layer needs from a device profile (the token's DeviceProfile satisfies it):
// the ids and strings a host reads from the device, string and device descriptors (USB 2.0 9.6.1, 9.6.7).

export interface UsbIdentity {
  readonly vendorId: number;
  readonly productId: number;
  readonly manufacturer: string;
  readonly product: string;
  readonly serialNumber: string;
  /** Firmware version; major.minor becomes bcdDevice. */
  readonly deviceVersion: { readonly major: number; readonly minor: number; readonly build: number };
}

/** bcdDevice as binary-coded decimal `0xJJMN`: major in the high byte, minor in the low byte (each 0..99). */
export function bcdDevice({ major, minor }: UsbIdentity['deviceVersion']): number {
  const bcd = (n: number) => {
    const clamped = Math.max(0, Math.min(99, Math.trunc(n)));
    return ((clamped / 10) << 4) | clamped % 10;
  };
  return (bcd(major) << 8) | bcd(minor);
}
