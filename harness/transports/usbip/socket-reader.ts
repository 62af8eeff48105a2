// Exact-length reads from a TCP stream: TCP delivers bytes in arbitrary pieces, and the USB/IP
// client parses by length, so it asks for "the next n bytes" and waits until they are all there.
import type { Socket } from 'node:net';
import { UsbipClientError } from './usbip-client-error.ts';

interface Waiter {
  readonly size: number;
  readonly resolve: (bytes: Uint8Array) => void;
  readonly reject: (error: Error) => void;
}

export class SocketReader {
  readonly #chunks: Buffer[] = [];
  #buffered = 0;
  #waiter: Waiter | null = null;
  #error: Error | null = null;

  /** @param describe names the peer in the error raised when the connection closes */
  constructor(socket: Socket, describe: string) {
    socket.on('data', (chunk: Buffer) => {
      this.#chunks.push(chunk);
      this.#buffered += chunk.length;
      this.#settle();
    });
    socket.once('close', () => this.fail(new UsbipClientError('CONNECTION_CLOSED', `${describe}: connection closed by the server`)));
    socket.on('error', (error) => this.fail(new UsbipClientError('CONNECTION_CLOSED', `${describe}: ${error.message}`)));
  }

  /** The next `size` bytes; rejects once the connection has closed. One read at a time. */
  read(size: number): Promise<Uint8Array> {
    if (this.#waiter) return Promise.reject(new Error('SocketReader: a read is already waiting'));
    return new Promise((resolve, reject) => {
      this.#waiter = { size, resolve, reject };
      this.#settle();
    });
  }

  /** Fail the waiting and all later reads (first error wins). */
  fail(error: Error): void {
    this.#error ??= error;
    this.#settle();
  }

  #settle(): void {
    const waiter = this.#waiter;
    if (!waiter) return;
    if (this.#buffered >= waiter.size) {
      this.#waiter = null;
      waiter.resolve(this.#take(waiter.size));
    } else if (this.#error) {
      this.#waiter = null;
      waiter.reject(this.#error);
    }
  }

  #take(size: number): Uint8Array {
    const all = this.#chunks.length === 1 ? this.#chunks[0] : Buffer.concat(this.#chunks);
    this.#chunks.length = 0;
    if (all.length > size) this.#chunks.push(all.subarray(size));
    this.#buffered = all.length - size;
    return new Uint8Array(all.subarray(0, size)); // a copy: callers keep reports
  }
}
