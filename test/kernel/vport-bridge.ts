// The guest's only way out: virtio-serial ports, bridged on the host to keyloop's USB/IP server.
//
//   guest: usbip attach -> 127.0.0.1:3240 -> relay.sh -> /dev/vportNpM  (one free port per connection)
//   QEMU:  virtserialport name=keyloop.usbip.N -> chardev unix socket    (one socket for QEMU's life)
//   host:  this bridge -> one TCP connection to keyloop per guest open..close of the port
//
// A USB/IP connection is one TCP stream, and the server frees a device only when that stream
// closes. QEMU keeps a chardev's socket open however often the guest opens and closes the port,
// but it reports each open and close as a QMP VSERPORT_CHANGE event: the bridge opens a fresh
// connection to the server on the first bytes after the guest opened the port, and ends it when the
// guest closes the port. So `usbip detach` in the guest is a connection close at the server, and a
// later `usbip attach` through the same port is a new import, as with a real network.
import { connect, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { listenForQmpEvents, type QmpEventListener } from './qmp-events.ts';

export interface VportBridgeOptions {
  /** Directory for the unix sockets QEMU connects to (keep the path short). */
  socketDir: string;
  /** How many virtio ports: as many as USB/IP connections the guest holds at once. */
  ports: number;
  /** keyloop's USB/IP server. */
  usbip: { host: string; port: number };
  /** One line per session opened or closed. */
  log?: (line: string) => void;
}

export interface VportBridge {
  /** QEMU arguments: the virtio-serial controller, its ports and chardevs, and the QMP monitor. */
  readonly qemuArgs: readonly string[];
  /** Connections made to the server so far, per port name. */
  sessionCounts(): Record<string, number>;
  close(): Promise<void>;
}

/** The guest-visible name of port `index`; relay.sh looks for this prefix. */
const portName = (index: number) => `keyloop.usbip.${index}`;

export async function startVportBridge({ socketDir, ports, usbip, log = () => undefined }: VportBridgeOptions): Promise<VportBridge> {
  const bridges = Array.from({ length: ports }, (_, index) => bridgePort({ name: portName(index), usbip, log }));
  const servers: Server[] = [];
  let qmp: QmpEventListener | undefined;
  const close = async () => {
    for (const bridge of bridges) bridge.close();
    await qmp?.close();
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  };
  try {
    for (const [index, bridge] of bridges.entries()) {
      servers.push(await listen(join(socketDir, `vport${index}.sock`), bridge.attachQemu));
    }
    qmp = await listenForQmpEvents({
      path: join(socketDir, 'qmp.sock'),
      onEvent: ({ event, data }) => {
        if (event !== 'VSERPORT_CHANGE' || data?.open !== false) return;
        bridges.find((bridge) => bridge.deviceId === data.id)?.guestClosed();
      },
    });
  } catch (error) {
    await close();
    throw error;
  }
  const qemuArgs = ['-device', 'virtio-serial-pci,id=keyloop.serial'];
  for (const [index, bridge] of bridges.entries()) {
    qemuArgs.push(
      '-chardev', `socket,id=${bridge.name},path=${join(socketDir, `vport${index}.sock`)}`,
      // The device id is what VSERPORT_CHANGE names; the port name is what the guest sees.
      '-device', `virtserialport,bus=keyloop.serial.0,chardev=${bridge.name},name=${bridge.name},id=${bridge.deviceId}`,
    );
  }
  qemuArgs.push(...qmp.qemuArgs);
  return {
    qemuArgs,
    sessionCounts: () => Object.fromEntries(bridges.map((bridge) => [bridge.name, bridge.sessions()])),
    close,
  };
}

/** One virtio port: QEMU's chardev socket on one side, the current server connection on the other. */
function bridgePort({ name, usbip, log }: { name: string; usbip: { host: string; port: number }; log: (line: string) => void }) {
  let qemu: Socket | null = null;
  let upstream: Socket | null = null;
  let sessions = 0;

  const endSession = (why: string) => {
    const ending = upstream;
    if (!ending) return;
    upstream = null;
    ending.removeAllListeners('data');
    ending.end();
    log(`${name}: session ${sessions} ended (${why})`);
  };

  const openSession = (): Socket => {
    sessions += 1;
    const socket = connect(usbip.port, usbip.host);
    socket.on('data', (chunk) => qemu?.write(chunk));
    socket.on('error', (error) => log(`${name}: server connection: ${error.message}`));
    socket.on('close', () => {
      if (upstream === socket) endSession('the server closed it');
    });
    log(`${name}: session ${sessions} opened`);
    return socket;
  };

  return {
    name,
    deviceId: `${name.replaceAll('.', '-')}-port`,
    sessions: () => sessions,
    attachQemu: (socket: Socket) => {
      qemu = socket;
      socket.on('data', (chunk) => (upstream ??= openSession()).write(chunk));
      socket.on('error', () => undefined);
      socket.on('close', () => endSession('QEMU exited'));
    },
    guestClosed: () => endSession('the guest closed the port'),
    close: () => {
      endSession('bridge closed');
      qemu?.destroy();
    },
  };
}

function listen(path: string, onConnection: (socket: Socket) => void): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer(onConnection);
    server.once('error', reject);
    server.listen(path, () => resolve(server));
  });
}
