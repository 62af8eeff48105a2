// Host side of the Solo-simulator UDP transport (PROTOCOLS.md): reports go as 64-byte datagrams
// to the device port (8111); the device answers to a fixed port (7112) that we bind, whoever sent.
import { createSocket } from 'node:dgram';
import { ReportQueue } from './report-queue.ts';
import { type ReportTransport, TransportClosedError, padReport } from './report-transport.ts';

export interface UdpTransportOptions {
  /** Device address. */
  host?: string;
  /** Device port. */
  port?: number;
  /** Local address to receive replies on. */
  listenHost?: string;
  /** Local port the device replies to (fixed by the Solo convention); 0 picks a free one. */
  listenPort?: number;
}

export interface UdpTransport extends ReportTransport {
  /** The local port bound for replies (useful when listenPort was 0). */
  readonly listenPort: number;
}

export async function openUdpTransport({
  host = '127.0.0.1',
  port = 8111,
  listenHost = '127.0.0.1',
  listenPort = 7112,
}: UdpTransportOptions = {}): Promise<UdpTransport> {
  const name = `udp://${host}:${port}`;
  const queue = new ReportQueue(name);
  const socket = createSocket('udp4');
  // Every datagram to our port is a report: the Solo convention has no sender check to make.
  socket.on('message', (datagram) => queue.push(new Uint8Array(datagram)));
  socket.on('error', (error) => queue.close(new Error(`${name}: ${error.message}`)));
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(listenPort, listenHost, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  let closed = false;
  return {
    name,
    listenPort: socket.address().port,
    async write(report) {
      if (closed) throw new TransportClosedError(name);
      const datagram = padReport(report);
      await new Promise<void>((resolve, reject) => socket.send(datagram, port, host, (error) => (error ? reject(error) : resolve())));
    },
    read: (timeoutMs) => queue.read(timeoutMs),
    async close() {
      if (closed) return;
      closed = true;
      queue.close();
      await new Promise<void>((resolve) => socket.close(() => resolve()));
    },
  };
}
