// USB vendor and product ids as lsusb and usbip print them: four lowercase hex digits.

export function formatUsbId(id: number): string {
  return id.toString(16).padStart(4, '0');
}

/** `1209:7f1d`. */
export function formatVidPid(vendorId: number, productId: number): string {
  return `${formatUsbId(vendorId)}:${formatUsbId(productId)}`;
}
