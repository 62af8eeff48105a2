// The USB/IP server's socket edge (usbip_protocol.rst; PROTOCOLS.md "USB/IP"): a TCP listener,
// one UsbipSession per connection. Everything protocol-shaped lives in the session.
import { type AddressInfo, type Server, type Socket, createServer } from 'node:net';
import type { UsbDevice } from '../usb/index.ts';
import { parseBusId } from './device-record.ts';
import { UsbipBus } from './usbip-bus.ts';
import { USBIP_DEFAULT_PORT } from './usbip-constants.ts';
import { type LineLogger, silentLogger } from './usbip-logger.ts';
import { UsbipSession } from './usbip-session.ts';

export interface UsbipServerOptions {
  /** Devices to export, each under a `BUSNUM-DEVNUM` bus id such as `1-1`. */
  devices: ReadonlyArray<{ busId: string; device: UsbDevice }>;
  /** Interface to listen on; loopback unless the user says otherwise. */
  host?: string;
  /** TCP port; 0 picks a free one. */
  port?: number;
  logger?: LineLogger;
}

export interface UsbipServer {
  readonly host: string;
  readonly port: number;
  /** Bus ids currently imported by a client. */
  importedBusIds(): string[];
  /** Stop listening and drop every connection (importers see the device unplugged). */
  close(): Promise<void>;
}

export async function startUsbipServer({
  devices,
  host = '127.0.0.1',
  port = USBIP_DEFAULT_PORT,
  logger = silentLogger,
}: UsbipServerOptions): Promise<UsbipServer> {
  const bus = new UsbipBus(
    devices.map(({ busId, device }) => {
      const address = parseBusId(busId);
      if (!address) throw new RangeError(`bus id ${JSON.stringify(busId)}: expected BUSNUM-DEVNUM such as 1-1`);
      return { address, device };
    }),
  );
  const sockets = new Set<Socket>();
  const server = createServer({ noDelay: true }, (socket) => {
    sockets.add(socket);
    serveConnection({ socket, bus, logger });
    socket.once('close', () => sockets.delete(socket));
  });
  await listen(server, host, port);
  const address = server.address() as AddressInfo;
  logger.info(`usbip: listening on ${address.address}:${address.port} (${devices.map((d) => d.busId).join(', ')})`);
  return {
    host: address.address,
    port: address.port,
    importedBusIds: () => bus.list().map((e) => e.address.busId).filter((id) => bus.isClaimed(id)),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function serveConnection({ socket, bus, logger }: { socket: Socket; bus: UsbipBus; logger: LineLogger }): void {
  const peer = `${socket.remoteAddress}:${socket.remotePort}`;
  const session = new UsbipSession({
    bus,
    peer,
    logger,
    send: (bytes) => {
      if (!socket.destroyed) socket.write(bytes);
    },
    // Graceful: flush the reply and half-close; the socket closes when the peer does, so bytes it
    // sent meanwhile draw no reset (which would discard the reply unread). Abort: drop it now.
    end: (mode) => (mode === 'graceful' ? socket.end() : socket.destroy()),
  });
  socket.on('data', (chunk) => session.receive(chunk));
  socket.on('error', (error) => logger.warn(`usbip ${peer}: ${error.message}`));
  socket.once('close', () => session.close());
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
