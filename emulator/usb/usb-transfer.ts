// The USB layer's contract with a bus adapter (USB/IP today): transfers in, completions out.
// Mirrors a host controller's URB (Linux Documentation/driver-api/usb/URB.rst) reduced to what a
// full-speed HID device uses: control on endpoint 0 and interrupt on the others.

export type UsbDirection = 'in' | 'out';

export interface UsbTransfer {
  /** Endpoint number 0..15, without the direction bit. */
  readonly endpoint: number;
  readonly direction: UsbDirection;
  /** The 8-byte SETUP packet; control transfers (endpoint 0) only. */
  readonly setup?: Uint8Array;
  /** OUT payload; empty for IN. */
  readonly data: Uint8Array;
  /** Buffer size the host offers: the most an IN transfer may return. */
  readonly length: number;
}

export type UsbTransferResult =
  /** `data` is the IN payload (empty for OUT); `actualLength` counts the bytes moved either way. */
  | { readonly status: 'ok'; readonly data: Uint8Array; readonly actualLength: number }
  /** The device refused the request (handshake STALL). */
  | { readonly status: 'stall' };

export interface UsbTransferHandle {
  /** Withdraw a transfer that has not completed: true if it was pending (it will never complete). */
  cancel(): boolean;
}

/** The device facts a bus adapter publishes before any transfer (USB/IP's device list). */
export interface UsbDeviceSummary {
  readonly speed: 'low' | 'full' | 'high';
  readonly vendorId: number;
  readonly productId: number;
  readonly bcdDevice: number;
  readonly deviceClass: number;
  readonly deviceSubClass: number;
  readonly deviceProtocol: number;
  readonly configurationValue: number;
  readonly numConfigurations: number;
  readonly interfaces: ReadonlyArray<{
    readonly interfaceClass: number;
    readonly interfaceSubClass: number;
    readonly interfaceProtocol: number;
  }>;
}

/** A device a bus adapter can export: the USB/IP server needs nothing more. */
export interface UsbDevice {
  readonly summary: UsbDeviceSummary;
  /** Start a transfer; `complete` runs exactly once unless the transfer is cancelled first. */
  submit(transfer: UsbTransfer, complete: (result: UsbTransferResult) => void): UsbTransferHandle;
  /** Unplug / bus reset: pending transfers are dropped uncompleted and the device is unconfigured. */
  reset(): void;
}

export const STALL: UsbTransferResult = { status: 'stall' };

export function completedIn(data: Uint8Array): UsbTransferResult {
  return { status: 'ok', data, actualLength: data.length };
}

export function completedOut(actualLength: number): UsbTransferResult {
  return { status: 'ok', data: new Uint8Array(0), actualLength };
}
