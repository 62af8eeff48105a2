// Shared by the USB/IP suites: echo devices (a report sink that answers each report with itself,
// standing in for CTAPHID), a server on an ephemeral port, and a raw TCP peer for byte-level tests.
import { type Socket, connect } from 'node:net';
import { UsbHidDevice } from '../../emulator/usb/index.ts';
import { type UsbipServer, startUsbipServer } from '../../emulator/usbip/index.ts';
import { SocketReader } from '../../harness/transports/usbip/socket-reader.ts';

export function identity(n: number) {
  return {
    vendorId: 0x1209,
    productId: 0x5070 + n,
    manufacturer: 'Keyloop',
    product: `Keyloop U2F ${n}`,
    serialNumber: `KL000${n}`,
    deviceVersion: { major: 1, minor: n, build: 0 },
  };
}

/** A device that sends every output report back with its first byte incremented. */
export function echoDevice(n: number): UsbHidDevice {
  const device: UsbHidDevice = new UsbHidDevice({
    identity: identity(n),
    receive: (report) => {
      const reply = report.slice();
      reply[0] = (reply[0] + 1) & 0xff;
      device.send(reply);
    },
  });
  return device;
}

export interface EchoServer {
  server: UsbipServer;
  devices: UsbHidDevice[];
  warnings: string[];
}

export async function startEchoServer(count = 2): Promise<EchoServer> {
  const devices = Array.from({ length: count }, (_, i) => echoDevice(i + 1));
  const warnings: string[] = [];
  const server = await startUsbipServer({
    devices: devices.map((device, i) => ({ busId: `1-${i + 1}`, device })),
    port: 0,
    logger: { info: () => {}, warn: (line) => warnings.push(line) },
  });
  return { server, devices, warnings };
}

/** A bare TCP peer: write any bytes, read exact lengths, see when the server hangs up. */
export class RawPeer {
  readonly closed: Promise<void>;
  #received = 0;
  #consumed = 0;
  private constructor(
    readonly socket: Socket,
    readonly reader: SocketReader,
  ) {
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('data', (chunk: Buffer) => (this.#received += chunk.length));
  }

  static open(port: number): Promise<RawPeer> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port, noDelay: true });
      socket.once('connect', () => resolve(new RawPeer(socket, new SocketReader(socket, 'raw peer'))));
      socket.once('error', reject);
    });
  }

  write(bytes: Uint8Array): void {
    this.socket.write(bytes);
  }

  /** Write one byte per write call, letting the event loop run between them. */
  async trickle(bytes: Uint8Array): Promise<void> {
    for (const byte of bytes) {
      this.socket.write(Uint8Array.of(byte));
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  read(size: number): Promise<Uint8Array> {
    this.#consumed += size;
    return this.reader.read(size);
  }

  /** True if the server sends nothing beyond what was read within `ms`. */
  async quietFor(ms: number): Promise<boolean> {
    await new Promise((resolve) => setTimeout(resolve, ms));
    return this.#received === this.#consumed;
  }

  destroy(): void {
    this.socket.destroy();
  }
}

export function hex(text: string): Uint8Array {
  return Uint8Array.from(Buffer.from(text.replace(/\s+/g, ''), 'hex'));
}

export function u32(bytes: Uint8Array, at: number): number {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(at);
}

export function i32(bytes: Uint8Array, at: number): number {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getInt32(at);
}

/** Resolve once `check()` is true, polling every 5 ms; reject after `ms`. */
export async function until(check: () => boolean, ms = 2000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
