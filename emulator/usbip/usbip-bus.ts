// The devices a USB/IP server exports and who holds each one: one importer per device, as a
// Linux usbipd allows (usbip_protocol.rst OP_REQ_IMPORT: status 1 when it cannot be imported).
import type { UsbDevice } from '../usb/index.ts';
import type { UsbipDeviceAddress } from './device-record.ts';

export interface UsbipExport {
  readonly address: UsbipDeviceAddress;
  readonly device: UsbDevice;
}

export type ClaimResult =
  | { readonly ok: true; readonly export: UsbipExport }
  | { readonly ok: false; readonly reason: 'unknown' | 'busy' };

export class UsbipBus {
  readonly #exports: ReadonlyMap<string, UsbipExport>;
  readonly #claimed = new Set<string>();

  constructor(exports: readonly UsbipExport[]) {
    this.#exports = new Map(exports.map((e) => [e.address.busId, e]));
  }

  /** Every exported device, in bus id order of construction (the device list). */
  list(): UsbipExport[] {
    return [...this.#exports.values()];
  }

  /** Take a device for one connection; refused if unknown or already imported. */
  claim(busId: string): ClaimResult {
    const found = this.#exports.get(busId);
    if (!found) return { ok: false, reason: 'unknown' };
    if (this.#claimed.has(busId)) return { ok: false, reason: 'busy' };
    this.#claimed.add(busId);
    return { ok: true, export: found };
  }

  /** The importer is gone: the device is free for the next import. */
  release(busId: string): void {
    this.#claimed.delete(busId);
  }

  isClaimed(busId: string): boolean {
    return this.#claimed.has(busId);
  }
}
