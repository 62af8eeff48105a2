// A minimal QMP client for one QEMU (QEMU's "QEMU Machine Protocol", docs/interop/qmp-spec):
// QEMU connects to our unix socket, greets, we answer qmp_capabilities, and then every line it
// sends is a JSON reply or an asynchronous event. We only want the events.
import { createServer, type Server, type Socket } from 'node:net';

export interface QmpEvent {
  readonly event: string;
  readonly data?: Record<string, unknown>;
}

export interface QmpEventListener {
  /** QEMU arguments for the monitor: `-chardev socket,...,path=PATH -mon chardev=...,mode=control`. */
  readonly qemuArgs: readonly string[];
  close(): Promise<void>;
}

export async function listenForQmpEvents({
  path,
  onEvent,
}: {
  /** Unix socket path QEMU connects to (at most about 100 characters). */
  path: string;
  onEvent: (event: QmpEvent) => void;
}): Promise<QmpEventListener> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let buffered = '';
    socket.on('data', (chunk) => {
      buffered += chunk.toString('utf8');
      for (let end = buffered.indexOf('\n'); end >= 0; end = buffered.indexOf('\n')) {
        const line = buffered.slice(0, end).trim();
        buffered = buffered.slice(end + 1);
        if (!line) continue;
        const message = parseLine(line);
        if (!message) continue;
        if (message.QMP) socket.write('{"execute":"qmp_capabilities"}\n');
        else if (message.event) onEvent({ event: message.event, data: message.data });
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });
  return {
    qemuArgs: ['-chardev', `socket,id=keyloop.qmp,path=${path}`, '-mon', 'chardev=keyloop.qmp,mode=control'],
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function parseLine(line: string): { QMP?: unknown; event?: string; data?: Record<string, unknown> } | null {
  try {
    return JSON.parse(line);
  } catch {
    return null; // not QMP: nothing we act on
  }
}
