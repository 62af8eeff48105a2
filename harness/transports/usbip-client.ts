// A userspace USB/IP client (Linux Documentation/usb/usbip_protocol.rst) that plays the host:
// list devices, import one, enumerate it as Linux would (descriptors, SET_CONFIGURATION), then
// move 64-byte reports by interrupt URBs, keeping IN URBs posted. No kernel module needed.
import type { Socket } from 'node:net';
import { ReportQueue } from './report-queue.ts';
import { type ReportTransport, padReport } from './report-transport.ts';
import { declaresFidoUsagePage, findHidInterface, type FidoInterface } from './usbip/fido-interface.ts';
import { SocketReader } from './usbip/socket-reader.ts';
import { UrbChannel } from './usbip/urb-channel.ts';
import { UsbipClientError } from './usbip/usbip-client-error.ts';
import { connectTcp, withTimeout } from './usbip/usbip-connect.ts';
import {
  DEVICE_RECORD_SIZE,
  ECONNRESET,
  OP_HEADER_SIZE,
  Op,
  type UsbipDeviceInfo,
  decodeDeviceRecord,
  decodeInterfaceRecords,
  decodeOpHeader,
  encodeDevlistRequest,
  encodeImportRequest,
} from './usbip/usbip-wire.ts';

export { UsbipClientError } from './usbip/usbip-client-error.ts';
export type { UsbipDeviceInfo } from './usbip/usbip-wire.ts';

export interface UsbipEndpointOptions {
  /** USB/IP server address. */
  host?: string;
  /** USB/IP server port. */
  port?: number;
  /** Deadline for connecting and for each setup step (list, import, enumeration). */
  timeoutMs?: number;
}

/** OP_REQ_DEVLIST: the devices a server exports, with their interfaces. */
export async function listUsbipDevices({
  host = '127.0.0.1',
  port = 3240,
  timeoutMs = 5000,
}: UsbipEndpointOptions = {}): Promise<UsbipDeviceInfo[]> {
  const socket = await connectTcp({ host, port, timeoutMs });
  const reader = new SocketReader(socket, `usbip ${host}:${port}`);
  try {
    return await withTimeout(
      (async () => {
        socket.write(encodeDevlistRequest());
        const status = decodeOpHeader(await reader.read(OP_HEADER_SIZE), Op.REP_DEVLIST);
        if (status !== 0) throw new UsbipClientError('PROTOCOL', `OP_REP_DEVLIST status ${status}`);
        const countBytes = await reader.read(4);
        const count = new DataView(countBytes.buffer, countBytes.byteOffset, 4).getUint32(0);
        const devices: UsbipDeviceInfo[] = [];
        for (let i = 0; i < count; i++) {
          const record = decodeDeviceRecord(await reader.read(DEVICE_RECORD_SIZE));
          const interfaces = decodeInterfaceRecords(await reader.read(record.numInterfaces * 4));
          devices.push({ ...record, interfaces });
        }
        return devices;
      })(),
      timeoutMs,
      `usbip ${host}:${port} device list`,
    );
  } finally {
    socket.destroy();
  }
}

export interface UsbipTransportOptions extends UsbipEndpointOptions {
  /** Bus id of the device to import, e.g. `1-1`. */
  busId?: string;
  /** Interrupt IN URBs kept posted at once (the kernel's usbhid keeps one). */
  inFlight?: number;
}

export interface UsbipTransport extends ReportTransport {
  /** The device record from OP_REP_IMPORT. */
  readonly device: UsbipDeviceInfo;
  /** Raw descriptors read during enumeration (to compare emulator and hardware). */
  readonly descriptors: { readonly device: Uint8Array; readonly configuration: Uint8Array; readonly report: Uint8Array };
}

/** Import `busId`, enumerate it, and return it as a report transport. Closing detaches it. */
export async function openUsbipTransport({
  host = '127.0.0.1',
  port = 3240,
  busId = '1-1',
  inFlight = 2,
  timeoutMs = 5000,
}: UsbipTransportOptions = {}): Promise<UsbipTransport> {
  const name = `usbip://${host}:${port}/${busId}`;
  const socket = await connectTcp({ host, port, timeoutMs });
  const reader = new SocketReader(socket, name);
  const queue = new ReportQueue(name);
  try {
    const device = await withTimeout(importDevice(socket, reader, busId), timeoutMs, `${name} import`);
    const channel = new UrbChannel({
      socket,
      reader,
      devid: ((device.busnum << 16) | device.devnum) >>> 0,
      onClose: (error) => queue.close(error),
    });
    channel.start();
    const { descriptors, fido } = await withTimeout(enumerate(channel, name), timeoutMs, `${name} enumeration`);
    return startReportPipe({ name, channel, queue, device, descriptors, fido, inFlight });
  } catch (error) {
    socket.destroy();
    queue.close();
    throw error;
  }
}

async function importDevice(socket: Socket, reader: SocketReader, busId: string): Promise<UsbipDeviceInfo> {
  socket.write(encodeImportRequest(busId));
  const status = decodeOpHeader(await reader.read(OP_HEADER_SIZE), Op.REP_IMPORT);
  if (status !== 0) throw new UsbipClientError('IMPORT_REFUSED', `import of ${busId} refused (status ${status}): unknown or in use`);
  const device = decodeDeviceRecord(await reader.read(DEVICE_RECORD_SIZE));
  if (device.busId !== busId) throw new UsbipClientError('PROTOCOL', `imported ${device.busId}, asked for ${busId}`);
  return device;
}

/** What Linux does on attach, reduced to what a FIDO client needs; fails with NOT_FIDO otherwise. */
async function enumerate(channel: UrbChannel, name: string) {
  const control = async (requestType: number, request: number, value: number, index: number, length: number) => {
    const setup = new Uint8Array(8);
    const view = new DataView(setup.buffer);
    setup[0] = requestType;
    setup[1] = request;
    view.setUint16(2, value, true);
    view.setUint16(4, index, true);
    view.setUint16(6, length, true);
    const direction = requestType & 0x80 ? 'in' : 'out';
    const { result } = channel.submit({ direction, endpoint: 0, length, setup });
    const { status, data } = await result;
    if (status !== 0) {
      const what = `control 0x${requestType.toString(16)}/0x${request.toString(16)} wValue 0x${value.toString(16)}`;
      throw new UsbipClientError('URB_FAILED', `${name}: ${what} failed with status ${status}`);
    }
    return data;
  };
  const GET_DESCRIPTOR = 0x06;
  const device = await control(0x80, GET_DESCRIPTOR, 0x0100, 0, 18);
  const header = await control(0x80, GET_DESCRIPTOR, 0x0200, 0, 9);
  if (header.length < 4) throw new UsbipClientError('PROTOCOL', `${name}: configuration descriptor of ${header.length} bytes`);
  const configuration = await control(0x80, GET_DESCRIPTOR, 0x0200, 0, header[2] | (header[3] << 8));
  const fido: FidoInterface | null = findHidInterface(configuration);
  if (!fido) throw new UsbipClientError('NOT_FIDO', `${name}: no HID interface with interrupt IN and OUT endpoints`);
  const report = await control(0x81, GET_DESCRIPTOR, 0x2200, fido.interfaceNumber, 4096);
  if (!declaresFidoUsagePage(report)) throw new UsbipClientError('NOT_FIDO', `${name}: report descriptor lacks usage page 0xF1D0`);
  await control(0x00, 0x09 /* SET_CONFIGURATION */, fido.configurationValue, 0, 0);
  return { descriptors: { device, configuration, report }, fido };
}

function startReportPipe({
  name,
  channel,
  queue,
  device,
  descriptors,
  fido,
  inFlight,
}: {
  name: string;
  channel: UrbChannel;
  queue: ReportQueue;
  device: UsbipDeviceInfo;
  descriptors: UsbipTransport['descriptors'];
  fido: FidoInterface;
  inFlight: number;
}): UsbipTransport {
  const posted = new Set<number>();
  let closing = false;
  const postIn = () => {
    const { seqnum, result } = channel.submit({ direction: 'in', endpoint: fido.inEndpoint, length: fido.maxPacketSize });
    posted.add(seqnum);
    result.then(
      ({ status, data }) => {
        posted.delete(seqnum);
        if (status === ECONNRESET) return;
        if (status !== 0) {
          queue.close(new UsbipClientError('URB_FAILED', `${name}: interrupt IN failed with status ${status}`));
          return;
        }
        queue.push(data);
        if (!closing) postIn();
      },
      () => posted.delete(seqnum), // the channel closed: onClose already closed the queue
    );
  };
  for (let i = 0; i < inFlight; i++) postIn();

  return {
    name,
    device,
    descriptors,
    async write(report) {
      const { result } = channel.submit({ direction: 'out', endpoint: fido.outEndpoint, length: 0, data: padReport(report) });
      const { status } = await result;
      if (status !== 0) throw new UsbipClientError('URB_FAILED', `${name}: interrupt OUT failed with status ${status}`);
    },
    read: (timeoutMs) => queue.read(timeoutMs),
    async close() {
      if (closing) return;
      closing = true;
      // Withdraw the posted IN URBs as the kernel does on detach, then drop the connection.
      await withTimeout(Promise.allSettled([...posted].map((seqnum) => channel.unlink(seqnum))), 1000, `${name} unlink`).catch(() => {});
      queue.close(); // before the channel, so pending reads see TransportClosedError
      channel.close();
    },
  };
}
