// One USB/IP connection as a state machine over bytes (usbip_protocol.rst "Architecture"):
// OP_REQ_DEVLIST or OP_REQ_IMPORT first; after a successful import, CMD_SUBMIT / CMD_UNLINK
// until the peer leaves. IN URBs stay pending until the device has data; an unlinked URB is
// never completed. Any malformed input ends this connection only; the socket lives elsewhere.
import type { UsbTransferHandle, UsbTransferResult } from '../usb/index.ts';
import { type ClientMessage, type SessionPhase, parseClientMessage } from './client-message.ts';
import { encodeDeviceRecord } from './device-record.ts';
import { encodeDevlistReply, encodeImportReply, encodeRetSubmit, encodeRetUnlink } from './server-message.ts';
import { Errno } from './usbip-constants.ts';
import type { UsbipBus, UsbipExport } from './usbip-bus.ts';
import { type LineLogger, silentLogger } from './usbip-logger.ts';

type SubmitMessage = Extract<ClientMessage, { kind: 'submit' }>;
type UnlinkMessage = Extract<ClientMessage, { kind: 'unlink' }>;

export interface UsbipSessionOptions {
  /** The exported devices and their claims, shared by all sessions of a server. */
  bus: UsbipBus;
  /** Write bytes to the peer. */
  send: (bytes: Uint8Array) => void;
  /** Close the connection: 'graceful' after flushing replies, 'abort' at once (protocol error). */
  end: (mode: 'graceful' | 'abort') => void;
  /** Names the peer in log lines, e.g. `127.0.0.1:51234`. */
  peer?: string;
  logger?: LineLogger;
  /** Largest transfer_buffer_length accepted; the kernel never exceeds a few KiB for HID. */
  maxTransferLength?: number;
  /** URBs one connection may have waiting for the device; usbhid keeps one IN URB in flight. */
  maxPendingUrbs?: number;
}

export class UsbipSession {
  readonly #bus: UsbipBus;
  readonly #send: (bytes: Uint8Array) => void;
  readonly #end: (mode: 'graceful' | 'abort') => void;
  readonly #peer: string;
  readonly #logger: LineLogger;
  readonly #maxTransferLength: number;
  readonly #maxPendingUrbs: number;
  #phase: SessionPhase = 'operation';
  #buffer: Uint8Array = new Uint8Array(0);
  #imported: UsbipExport | null = null;
  readonly #pending = new Map<number, UsbTransferHandle>();
  #closed = false;

  constructor({ bus, send, end, peer = 'peer', logger = silentLogger, maxTransferLength = 0x10000, maxPendingUrbs = 1024 }: UsbipSessionOptions) {
    this.#bus = bus;
    this.#send = send;
    this.#end = end;
    this.#peer = peer;
    this.#logger = logger;
    this.#maxTransferLength = maxTransferLength;
    this.#maxPendingUrbs = maxPendingUrbs;
  }

  /** The bus id this connection imported, if any. */
  get busId(): string | null {
    return this.#imported?.address.busId ?? null;
  }

  /** Bytes from the peer, in whatever pieces TCP delivered them. */
  receive(chunk: Uint8Array): void {
    if (this.#closed) return;
    this.#buffer = this.#buffer.length ? concat(this.#buffer, chunk) : chunk;
    while (!this.#closed) {
      const parsed = parseClientMessage(this.#buffer, { phase: this.#phase, maxTransferLength: this.#maxTransferLength });
      if (parsed.kind === 'incomplete') return;
      if (parsed.kind === 'malformed') {
        this.#fail(`${parsed.code} (${parsed.detail})`);
        return;
      }
      this.#buffer = this.#buffer.subarray(parsed.size);
      this.#handle(parsed.message);
    }
  }

  /** The connection is gone (peer closed, reset, or we ended it): release the device. */
  close(): void {
    if (this.#closed) return;
    const partial = this.#buffer.length;
    this.#closed = true;
    for (const handle of this.#pending.values()) handle.cancel();
    this.#pending.clear();
    if (partial) this.#logger.warn(`usbip ${this.#peer}: connection closed mid-message (${partial} bytes unparsed)`);
    if (this.#imported) {
      const { address, device } = this.#imported;
      this.#imported = null;
      device.reset();
      this.#bus.release(address.busId);
      this.#logger.info(`usbip ${this.#peer}: detached ${address.busId}`);
    }
  }

  #handle(message: ClientMessage): void {
    switch (message.kind) {
      case 'devlist':
        this.#devlist();
        return;
      case 'import':
        this.#import(message.busId);
        return;
      case 'submit':
        this.#submit(message);
        return;
      case 'unlink':
        this.#unlink(message);
        return;
    }
  }

  #devlist(): void {
    const records = this.#bus
      .list()
      .map(({ address, device }) => encodeDeviceRecord({ address, summary: device.summary, withInterfaces: true }));
    this.#send(encodeDevlistReply(records));
    this.#logger.info(`usbip ${this.#peer}: device list (${records.length} devices)`);
    // usbipd answers one operation per connection.
    this.#finish('graceful');
  }

  #import(busId: string): void {
    const claim = this.#bus.claim(busId);
    if (!claim.ok) {
      this.#send(encodeImportReply(null));
      this.#logger.warn(`usbip ${this.#peer}: import ${JSON.stringify(busId)} refused (${claim.reason})`);
      this.#finish('graceful');
      return;
    }
    const { address, device } = claim.export;
    this.#imported = claim.export;
    this.#phase = 'urb';
    this.#send(encodeImportReply(encodeDeviceRecord({ address, summary: device.summary })));
    this.#logger.info(`usbip ${this.#peer}: imported ${busId}`);
  }

  #submit(message: SubmitMessage): void {
    const { seqnum } = message;
    const imported = this.#imported;
    if (!imported) return; // unreachable: URBs parse only after an import
    if (this.#pending.has(seqnum)) {
      this.#fail(`DUPLICATE_SEQNUM (${seqnum} is still pending)`);
      return;
    }
    // Each pending IN URB holds memory until a report comes; a peer that only submits would grow it without bound.
    if (this.#pending.size >= this.#maxPendingUrbs) {
      this.#fail(`TOO_MANY_PENDING_URBS (${this.#pending.size} already wait for the device)`);
      return;
    }
    let done = false;
    const complete = (result: UsbTransferResult) => {
      if (done) return;
      done = true;
      this.#pending.delete(seqnum);
      if (this.#closed) return;
      this.#send(
        result.status === 'ok'
          ? encodeRetSubmit({ seqnum, status: 0, actualLength: result.actualLength, data: result.data })
          : encodeRetSubmit({ seqnum, status: Errno.EPIPE, actualLength: 0 }),
      );
    };
    try {
      const handle = imported.device.submit(
        {
          endpoint: message.endpoint,
          direction: message.direction,
          setup: message.endpoint === 0 ? message.setup : undefined,
          data: message.data,
          length: message.length,
        },
        complete,
      );
      if (!done) this.#pending.set(seqnum, handle);
    } catch (error) {
      // A fault in the layers above fails this URB only; the connection and server carry on.
      this.#logger.warn(`usbip ${this.#peer}: URB ${seqnum} failed: ${(error as Error).message}`);
      if (!done) {
        done = true;
        this.#send(encodeRetSubmit({ seqnum, status: Errno.EPROTO, actualLength: 0 }));
      }
    }
  }

  #unlink({ seqnum, unlinkSeqnum }: UnlinkMessage): void {
    const handle = this.#pending.get(unlinkSeqnum);
    this.#pending.delete(unlinkSeqnum);
    const cancelled = handle?.cancel() ?? false;
    this.#send(encodeRetUnlink({ seqnum, status: cancelled ? Errno.ECONNRESET : 0 }));
  }

  #fail(reason: string): void {
    this.#logger.warn(`usbip ${this.#peer}: closing connection: ${reason}`);
    this.#buffer = new Uint8Array(0);
    this.#finish('abort');
  }

  #finish(mode: 'graceful' | 'abort'): void {
    this.close();
    this.#end(mode);
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
