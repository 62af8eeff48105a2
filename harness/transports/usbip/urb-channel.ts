// The URB phase of a USB/IP connection from the client side (usbip_protocol.rst, after
// OP_REP_IMPORT): CMD_SUBMIT / CMD_UNLINK out, RET_SUBMIT / RET_UNLINK matched back by seqnum.
// After RET_UNLINK with -ECONNRESET the server never answers the URB: it resolves as unlinked.
import type { Socket } from 'node:net';
import type { SocketReader } from './socket-reader.ts';
import { UsbipClientError } from './usbip-client-error.ts';
import {
  Command,
  ECONNRESET,
  URB_HEADER_SIZE,
  decodeUrbReplyHeader,
  encodeSubmit,
  encodeUnlink,
} from './usbip-wire.ts';

export interface UrbResult {
  /** 0, or a negative errno: -32 STALL, -104 unlinked. */
  readonly status: number;
  /** IN data (empty for OUT). */
  readonly data: Uint8Array;
  /** RET_SUBMIT actual_length. */
  readonly actualLength: number;
}

export interface UrbRequest {
  readonly direction: 'in' | 'out';
  readonly endpoint: number;
  /** IN buffer size. */
  readonly length: number;
  readonly setup?: Uint8Array;
  readonly data?: Uint8Array;
}

interface PendingSubmit {
  readonly request: UrbRequest;
  readonly resolve: (result: UrbResult) => void;
  readonly reject: (error: Error) => void;
}

interface PendingUnlink {
  readonly target: number;
  readonly resolve: (status: number) => void;
  readonly reject: (error: Error) => void;
}

export interface UrbChannelOptions {
  /** Connected socket, already past OP_REP_IMPORT. */
  socket: Socket;
  /** The reader that consumed the import reply from this socket. */
  reader: SocketReader;
  /** (busnum << 16) | devnum from the import reply. */
  devid: number;
  /** Called once when the channel stops, with the reason. */
  onClose: (error: Error) => void;
}

export class UrbChannel {
  readonly #socket: Socket;
  readonly #reader: SocketReader;
  readonly #devid: number;
  readonly #onClose: (error: Error) => void;
  readonly #submits = new Map<number, PendingSubmit>();
  readonly #unlinks = new Map<number, PendingUnlink>();
  #seqnum = 0;
  #error: Error | null = null;

  constructor({ socket, reader, devid, onClose }: UrbChannelOptions) {
    this.#socket = socket;
    this.#reader = reader;
    this.#devid = devid;
    this.#onClose = onClose;
  }

  /** Read replies until the connection ends; call once after construction. */
  start(): void {
    this.#readLoop().catch((error: Error) => this.#stop(error));
  }

  /** Submit an URB; `result` settles with its RET_SUBMIT (or as unlinked). */
  submit(request: UrbRequest): { seqnum: number; result: Promise<UrbResult> } {
    const seqnum = this.#nextSeqnum();
    const result = new Promise<UrbResult>((resolve, reject) => {
      if (this.#error) return reject(this.#error);
      this.#submits.set(seqnum, { request, resolve, reject });
      this.#socket.write(encodeSubmit({ seqnum, devid: this.#devid, ...request }));
    });
    return { seqnum, result };
  }

  /** Unlink a submitted URB: -104 if it was still pending, 0 if it had completed. */
  unlink(target: number): Promise<number> {
    const seqnum = this.#nextSeqnum();
    return new Promise<number>((resolve, reject) => {
      if (this.#error) return reject(this.#error);
      this.#unlinks.set(seqnum, { target, resolve, reject });
      this.#socket.write(encodeUnlink({ seqnum, devid: this.#devid, unlinkSeqnum: target }));
    });
  }

  /** Close the connection (the server sees the device detached). */
  close(): void {
    this.#stop(new UsbipClientError('CONNECTION_CLOSED', 'connection closed by the client'));
  }

  #nextSeqnum(): number {
    this.#seqnum = (this.#seqnum + 1) >>> 0 || 1;
    return this.#seqnum;
  }

  async #readLoop(): Promise<void> {
    for (;;) {
      const header = decodeUrbReplyHeader(await this.#reader.read(URB_HEADER_SIZE));
      if (header.command === Command.RET_SUBMIT) {
        const pending = this.#submits.get(header.seqnum);
        if (!pending) throw new UsbipClientError('PROTOCOL', `RET_SUBMIT for unknown seqnum ${header.seqnum}`);
        const { request } = pending;
        const isIn = request.direction === 'in';
        if (isIn && header.actualLength > request.length) {
          throw new UsbipClientError('PROTOCOL', `RET_SUBMIT ${header.seqnum}: ${header.actualLength} bytes for a ${request.length}-byte buffer`);
        }
        const data = isIn && header.actualLength ? await this.#reader.read(header.actualLength) : new Uint8Array(0);
        this.#submits.delete(header.seqnum);
        pending.resolve({ status: header.status, data, actualLength: header.actualLength });
      } else {
        const pending = this.#unlinks.get(header.seqnum);
        if (!pending) throw new UsbipClientError('PROTOCOL', `RET_UNLINK for unknown seqnum ${header.seqnum}`);
        this.#unlinks.delete(header.seqnum);
        const target = this.#submits.get(pending.target);
        if (header.status === ECONNRESET && target) {
          this.#submits.delete(pending.target);
          target.resolve({ status: ECONNRESET, data: new Uint8Array(0), actualLength: 0 });
        }
        pending.resolve(header.status);
      }
    }
  }

  #stop(error: Error): void {
    if (this.#error) return;
    this.#error = error;
    this.#reader.fail(error);
    this.#socket.destroy();
    for (const pending of [...this.#submits.values(), ...this.#unlinks.values()]) pending.reject(error);
    this.#submits.clear();
    this.#unlinks.clear();
    this.#onClose(error);
  }
}
