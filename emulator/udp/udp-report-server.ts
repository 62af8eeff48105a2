// The Solo-simulator UDP port (PROTOCOLS.md "Solo-simulator UDP transport"): reports arrive as
// datagrams on one port and every reply goes to a fixed address (127.0.0.1:7112), not to the
// sender, as the Solo tools and python-fido2's examples expect. The socket edge only.
import { createSocket } from 'node:dgram';
import { UDP_REPORT_SIZE, reportFromDatagram } from './udp-report.ts';

export interface UdpReportServerOptions {
  /** Sink for every report received: the CTAPHID device's `receive`. */
  receive: (report: Uint8Array) => void;
  /** Interface to listen on. */
  host?: string;
  /** Port to listen on; 0 picks a free one. */
  port?: number;
  /** Where every report from the device is sent. */
  replyHost?: string;
  /** 0: reply to whoever sent the latest datagram instead (not Solo behaviour; lets tests use free ports). */
  replyPort?: number;
  /** One line per dropped datagram or socket error (console fits). */
  logger?: { info(message: string): void; warn(message: string): void };
}

export interface UdpReportServer {
  readonly host: string;
  readonly port: number;
  /** Send one report from the device to the reply address (zero-padded to 64 bytes). */
  send(report: Uint8Array): void;
  close(): Promise<void>;
}

export async function startUdpReportServer({
  receive,
  host = '127.0.0.1',
  port = 8111,
  replyHost = '127.0.0.1',
  replyPort = 7112,
  logger = { info: () => {}, warn: () => {} },
}: UdpReportServerOptions): Promise<UdpReportServer> {
  const socket = createSocket('udp4');
  let lastSender: { address: string; port: number } | null = null;
  socket.on('message', (datagram, from) => {
    lastSender = { address: from.address, port: from.port };
    const result = reportFromDatagram(datagram);
    if (!result.ok) {
      logger.warn(`udp ${from.address}:${from.port}: dropped datagram (${result.reason}, ${result.length} bytes)`);
      return;
    }
    receive(result.report);
  });
  // Sending to a port nobody listens on may surface here later; it must not take the server down.
  socket.on('error', (error) => logger.warn(`udp: ${error.message}`));
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, host, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  const address = socket.address();
  const replyTo = replyPort === 0 ? 'the sender' : `${replyHost}:${replyPort}`;
  logger.info(`udp: listening on ${address.address}:${address.port}, replies to ${replyTo}`);
  let closed = false;
  return {
    host: address.address,
    port: address.port,
    send(report) {
      const to = replyPort === 0 ? lastSender : { address: replyHost, port: replyPort };
      if (closed || !to) return;
      const datagram = new Uint8Array(UDP_REPORT_SIZE);
      datagram.set(report.subarray(0, UDP_REPORT_SIZE));
      socket.send(datagram, to.port, to.address);
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (closed) return resolve();
        closed = true;
        socket.close(() => resolve());
      }),
  };
}
