// A physical key's USB descriptors through libusb (the `usb` package, v2: v3 offers only WebUSB),
// for the target's self-description, so a comparison with the emulator shows descriptor
// differences too. Optional: without libusb or permissions the description simply lacks them.

export interface UsbDescriptorSummary {
  bcdUSB: number;
  bcdDevice: number;
  deviceClass: number;
  maxPacketSize0: number;
  numConfigurations: number;
  /** Per interface of the active configuration: class/subclass/protocol and endpoints. */
  interfaces?: Array<{ number: number; class: number; subClass: number; protocol: number; endpoints: Array<{ address: number; attributes: number; maxPacketSize: number; interval: number }> }>;
}

/** Descriptors of the first device with these ids, or undefined when libusb cannot see it. */
export async function readUsbDescriptors(vendorId: number, productId: number): Promise<UsbDescriptorSummary | undefined> {
  let usb: typeof import('usb');
  try {
    usb = await import('usb');
  } catch {
    return undefined;
  }
  const device = usb.getDeviceList().find((d) => d.deviceDescriptor.idVendor === vendorId && d.deviceDescriptor.idProduct === productId);
  if (!device) return undefined;
  const d = device.deviceDescriptor;
  const summary: UsbDescriptorSummary = {
    bcdUSB: d.bcdUSB,
    bcdDevice: d.bcdDevice,
    deviceClass: d.bDeviceClass,
    maxPacketSize0: d.bMaxPacketSize0,
    numConfigurations: d.bNumConfigurations,
  };
  try {
    summary.interfaces = device.configDescriptor?.interfaces.flat().map((i) => ({
      number: i.bInterfaceNumber,
      class: i.bInterfaceClass,
      subClass: i.bInterfaceSubClass,
      protocol: i.bInterfaceProtocol,
      endpoints: i.endpoints.map((e) => ({ address: e.bEndpointAddress, attributes: e.bmAttributes, maxPacketSize: e.wMaxPacketSize, interval: e.bInterval })),
    }));
  } catch {
    // The configuration descriptor may need permissions the device descriptor does not.
  }
  return summary;
}
