// Physical FIDO keys through the OS HID stack (node-hid / hidapi; hidraw on Linux). A FIDO HID
// interface declares usage page 0xF1D0 (FIDO U2F HID Protocol v1.1 section 4). Writes carry the
// report-id byte 0 that hidapi expects for devices without report ids; reads arrive without it.
import type { EventEmitter } from 'node:events';
import { ReportQueue } from './report-queue.ts';
import { type ReportTransport, TransportClosedError, padReport } from './report-transport.ts';

export const FIDO_USAGE_PAGE = 0xf1d0;

export interface HidDeviceInfo {
  /** OS path to open, e.g. /dev/hidraw3. */
  readonly path: string;
  readonly vendorId: number;
  readonly productId: number;
  readonly manufacturer?: string;
  readonly product?: string;
  readonly serialNumber?: string;
  readonly usagePage?: number;
  readonly usage?: number;
}

/** The part of node-hid this transport uses; injectable so the framing can be tested without hardware. */
export interface HidBackend {
  devices(): Promise<ReadonlyArray<HidDeviceInfo | { path?: string | undefined; vendorId: number; productId: number; usagePage?: number }>>;
  open(path: string): Promise<HidHandle>;
}

export interface HidHandle extends EventEmitter {
  write(data: Buffer): Promise<number>;
  close(): Promise<void>;
}

/** node-hid, loaded on first use so that hosts without a HID stack can still load the harness. */
async function nodeHidBackend(): Promise<HidBackend> {
  const { default: HID } = await import('node-hid');
  return { devices: () => HID.devicesAsync(), open: (path) => HID.HIDAsync.open(path) };
}

/** Connected HID interfaces with the FIDO usage page. */
export async function listHidDevices({
  backend,
}: {
  /** Default: node-hid. */
  backend?: HidBackend;
} = {}): Promise<HidDeviceInfo[]> {
  const hid = backend ?? (await nodeHidBackend());
  const all = await hid.devices();
  return all
    .filter((d): d is HidDeviceInfo => d.usagePage === FIDO_USAGE_PAGE && typeof d.path === 'string')
    .map(({ path, vendorId, productId, manufacturer, product, serialNumber, usagePage, usage }) => ({
      path,
      vendorId,
      productId,
      manufacturer,
      product,
      serialNumber,
      usagePage,
      usage,
    }));
}

export interface HidTransportOptions {
  /** Device path from listHidDevices(). */
  path: string;
  /** Default: node-hid. */
  backend?: HidBackend;
}

export async function openHidTransport({ path, backend }: HidTransportOptions): Promise<ReportTransport> {
  const name = `hid:${path}`;
  const hid = backend ?? (await nodeHidBackend());
  const handle = await hid.open(path);
  const queue = new ReportQueue(name);
  handle.on('data', (data: Buffer) => queue.push(new Uint8Array(data)));
  // hidapi reports an unplugged key as a read error.
  handle.on('error', (error: Error) => queue.close(new Error(`${name}: ${error.message}`)));
  let closed = false;
  return {
    name,
    async write(report) {
      if (closed) throw new TransportClosedError(name);
      const framed = Buffer.alloc(1 + 64);
      framed.set(padReport(report), 1); // byte 0: report id 0
      await handle.write(framed);
    },
    read: (timeoutMs) => queue.read(timeoutMs),
    async close() {
      if (closed) return;
      closed = true;
      queue.close();
      await handle.close();
    },
  };
}
