// Open a TCP connection to a USB/IP server, with a deadline: the socket edge of the client.
import { type Socket, connect } from 'node:net';
import { UsbipClientError } from './usbip-client-error.ts';

export function connectTcp({ host, port, timeoutMs }: { host: string; port: number; timeoutMs: number }): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port, noDelay: true });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new UsbipClientError('TIMEOUT', `usbip ${host}:${port}: no connection within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.off('error', onError);
      resolve(socket);
    });
    const onError = (error: Error) => {
      clearTimeout(timer);
      reject(new UsbipClientError('CONNECTION_CLOSED', `usbip ${host}:${port}: ${error.message}`));
    };
    socket.once('error', onError);
  });
}

/** Reject with TIMEOUT if `promise` takes longer than `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new UsbipClientError('TIMEOUT', `${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
