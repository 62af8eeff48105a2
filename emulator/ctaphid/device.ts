// CTAPHID device: CTAP 2.1 section 11.2 (FIDO U2F HID Protocol v1.1) for a U2F-only key.
// Channels (11.2.3), one transaction at a time with busy answers (11.2.4), message timeout and
// sequence checks (11.2.5), commands INIT/PING/MSG/WINK/LOCK/CANCEL and KEEPALIVE/ERROR (11.2.9).
// Every protocol fault becomes an ERROR frame; receive() never throws.
//
// Choices the spec leaves open:
// - A report shorter than 64 bytes is zero-padded; a longer one is dropped.
// - INIT and CANCEL are served while another channel holds the lock or a transaction.
// - CANCEL aborts the channel's message (being received or processed); the aborted MSG gets no
//   response, and CANCEL itself never does (11.2.9.1.5).
// - WINK and LOCK take exactly 0 and 1 payload bytes; other lengths get ERR_INVALID_LEN.
// - WINK is advertised and served only if the applet implements wink().
// - Applet calls never overlap: a MSG after a resync or cancel waits for the abandoned call to end.
import { randomBytes } from 'node:crypto';
import type { CtaphidApplet } from './applet.ts';
import { ChannelTable } from './channel-table.ts';
import {
  BROADCAST_CID,
  Capability,
  CTAPHID_PROTOCOL_VERSION,
  CtaphidCommand,
  CtaphidError,
  INIT_NONCE_SIZE,
  KeepaliveStatus,
  MAX_LOCK_SECONDS,
  MAX_MESSAGE_SIZE,
} from './constants.ts';
import type { CtaphidErrorCode } from './constants.ts';
import { MessageAssembler, fragmentMessage, normalizeReport, parsePacket } from './framing.ts';
import type { ContinuationPacket, InitPacket } from './framing.ts';
import { encodeInitResponse } from './init-response.ts';
import type { DeviceVersion } from './init-response.ts';
import { emitReport } from './report-event.ts';
import type { ReportListener } from './report-event.ts';

export interface CtaphidDeviceOptions {
  /** The application behind CTAPHID_MSG and CTAPHID_WINK (the U2F token). */
  applet: CtaphidApplet;
  /** Sends one 64-byte report to the host (interrupt IN). */
  send: (report: Uint8Array) => void;
  /** Reported by CTAPHID_INIT. */
  deviceVersion?: DeviceVersion;
  /** An unfinished message is dropped with ERR_MSG_TIMEOUT after this long without a packet (spec: 400..1000). */
  messageTimeoutMs?: number;
  /** KEEPALIVE(PROCESSING) period while the applet works. */
  keepaliveIntervalMs?: number;
  /** Random source for channel allocation (inject for deterministic CIDs). */
  random?: (n: number) => Uint8Array;
  /** Read-only hook on every report received (`out`) and sent (`in`). */
  onReport?: ReportListener;
}

/** A message arriving in continuation packets. */
interface Receiving {
  readonly state: 'receiving';
  readonly cid: number;
  readonly assembler: MessageAssembler;
  timer: NodeJS.Timeout;
}

/** A MSG handed to the applet, answered with keepalives until it resolves. */
interface Processing {
  readonly state: 'processing';
  readonly cid: number;
  readonly keepalive: NodeJS.Timeout;
}

type Transaction = Receiving | Processing;

interface Lock {
  readonly cid: number;
  readonly timer: NodeJS.Timeout;
}

export class CtaphidDevice {
  readonly #applet: CtaphidApplet;
  readonly #send: (report: Uint8Array) => void;
  readonly #version: DeviceVersion;
  readonly #messageTimeoutMs: number;
  readonly #keepaliveIntervalMs: number;
  readonly #onReport: ReportListener | undefined;
  readonly #channels: ChannelTable;
  /** Commands served after framing (INIT and CANCEL are handled on arrival). */
  readonly #served: ReadonlySet<number>;
  #transaction: Transaction | undefined;
  #lock: Lock | undefined;
  /** Settles when the last applet call has ended, so that calls never overlap. */
  #appletIdle: Promise<void> = Promise.resolve();
  #closed = false;

  constructor({
    applet,
    send,
    deviceVersion = { major: 1, minor: 0, build: 0 },
    messageTimeoutMs = 500,
    keepaliveIntervalMs = 100,
    random = (n) => randomBytes(n),
    onReport,
  }: CtaphidDeviceOptions) {
    this.#applet = applet;
    this.#send = send;
    this.#version = deviceVersion;
    this.#messageTimeoutMs = messageTimeoutMs;
    this.#keepaliveIntervalMs = keepaliveIntervalMs;
    this.#onReport = onReport;
    this.#channels = new ChannelTable({ random });
    const served: number[] = [CtaphidCommand.PING, CtaphidCommand.MSG, CtaphidCommand.LOCK];
    if (applet.wink) served.push(CtaphidCommand.WINK);
    this.#served = new Set(served);
  }

  /** Capability flags of CTAPHID_INIT: WINK if the applet winks; never CBOR; never NMSG (MSG works). */
  get capabilities(): number {
    return this.#served.has(CtaphidCommand.WINK) ? Capability.WINK : 0;
  }

  /** Handle one report from the host (interrupt OUT). Never throws. */
  receive(report: Uint8Array): void {
    if (this.#closed) return;
    const normalized = normalizeReport(report);
    if (!normalized) return;
    emitReport(this.#onReport, 'out', normalized);
    const packet = parsePacket(normalized);
    try {
      if (packet.type === 'init') this.#onInitPacket(packet);
      else this.#onContinuation(packet);
    } catch {
      // A bug or a throwing applet.wink(): fail this request, keep serving.
      if (this.#transaction?.cid === packet.cid) this.#endTransaction();
      this.#sendError(packet.cid, CtaphidError.OTHER);
    }
  }

  /** Stop all timers and drop any transaction; later reports and applet results are ignored. */
  close(): void {
    this.#endTransaction();
    this.#releaseLock();
    this.#channels.clear();
    this.#closed = true;
  }

  #onInitPacket(packet: InitPacket): void {
    const { cid, command } = packet;
    if (cid === 0) return this.#sendError(cid, CtaphidError.INVALID_CHANNEL);
    if (cid === BROADCAST_CID) {
      if (command === CtaphidCommand.INIT) return this.#init(packet);
      return this.#sendError(cid, CtaphidError.INVALID_CHANNEL);
    }
    if (!this.#channels.has(cid)) return this.#sendError(cid, CtaphidError.INVALID_CHANNEL);
    this.#channels.touch(cid);
    if (command === CtaphidCommand.INIT) return this.#init(packet);
    if (command === CtaphidCommand.CANCEL) return this.#cancel(cid);
    if (this.#lock && this.#lock.cid !== cid) return this.#sendError(cid, CtaphidError.CHANNEL_BUSY);
    const current = this.#transaction;
    if (current) {
      if (current.cid !== cid) return this.#sendError(cid, CtaphidError.CHANNEL_BUSY);
      if (current.state === 'processing') return this.#sendError(cid, CtaphidError.CHANNEL_BUSY);
      // A new message on a channel still receiving one: the old one is lost (11.2.5).
      this.#endTransaction();
      return this.#sendError(cid, CtaphidError.INVALID_SEQ);
    }
    if (packet.length > MAX_MESSAGE_SIZE) return this.#sendError(cid, CtaphidError.INVALID_LEN);
    if (!this.#served.has(command)) return this.#sendError(cid, CtaphidError.INVALID_CMD);
    const assembler = new MessageAssembler(packet);
    if (assembler.complete) return this.#dispatch(cid, command, assembler.payload);
    this.#transaction = { state: 'receiving', cid, assembler, timer: this.#messageTimer(cid) };
  }

  #onContinuation(packet: ContinuationPacket): void {
    const current = this.#transaction;
    // A continuation with no message in progress on its channel is noise: ignore it.
    if (current?.state !== 'receiving' || current.cid !== packet.cid) return;
    const status = current.assembler.accept(packet);
    if (status === 'invalid-seq') {
      this.#endTransaction();
      return this.#sendError(packet.cid, CtaphidError.INVALID_SEQ);
    }
    clearTimeout(current.timer);
    if (status === 'incomplete') {
      current.timer = this.#messageTimer(packet.cid);
      return;
    }
    this.#transaction = undefined;
    this.#dispatch(packet.cid, current.assembler.command, current.assembler.payload);
  }

  // Node runs expired timers before it reads sockets, so after a stall of the device's own process
  // the host's next packet may be waiting unread when the timer fires. The verdict waits for this
  // turn's reads (setImmediate): only a host that really went quiet gets ERR_MSG_TIMEOUT.
  #messageTimer(cid: number): NodeJS.Timeout {
    const timer = setTimeout(() => {
      const waiting = this.#transaction;
      setImmediate(() => {
        // A packet came meanwhile: it re-armed the timer or ended the message.
        if (this.#transaction !== waiting || waiting?.state !== 'receiving' || waiting.timer !== timer) return;
        this.#endTransaction();
        this.#sendError(cid, CtaphidError.MSG_TIMEOUT);
      });
    }, this.#messageTimeoutMs);
    return timer;
  }

  #dispatch(cid: number, command: number, payload: Uint8Array): void {
    switch (command) {
      case CtaphidCommand.PING:
        return this.#reply(cid, command, payload);
      case CtaphidCommand.MSG:
        if (payload.length === 0) return this.#sendError(cid, CtaphidError.INVALID_LEN);
        return this.#process(cid, payload);
      case CtaphidCommand.WINK:
        if (payload.length !== 0) return this.#sendError(cid, CtaphidError.INVALID_LEN);
        this.#applet.wink?.();
        return this.#reply(cid, command, new Uint8Array(0));
      case CtaphidCommand.LOCK:
        return this.#setLock(cid, payload);
    }
  }

  /** CTAPHID_INIT (11.2.9.1.3): allocate a channel on broadcast, or resync an allocated one. */
  #init(packet: InitPacket): void {
    const { cid } = packet;
    if (packet.length !== INIT_NONCE_SIZE) return this.#sendError(cid, CtaphidError.INVALID_LEN);
    let channel = cid;
    if (cid === BROADCAST_CID) {
      const allocated = this.#channels.allocate((c) => c === this.#transaction?.cid || c === this.#lock?.cid);
      if (allocated === undefined) return this.#sendError(cid, CtaphidError.OTHER);
      channel = allocated;
    } else if (this.#transaction?.cid === cid) {
      this.#endTransaction();
    }
    const response = encodeInitResponse({
      nonce: packet.data.subarray(0, INIT_NONCE_SIZE),
      cid: channel,
      protocolVersion: CTAPHID_PROTOCOL_VERSION,
      deviceVersion: this.#version,
      capabilities: this.capabilities,
    });
    this.#reply(cid, CtaphidCommand.INIT, response);
  }

  /** CTAPHID_CANCEL (11.2.9.1.5): abort this channel's message; never answered. */
  #cancel(cid: number): void {
    if (this.#transaction?.cid === cid) this.#endTransaction();
  }

  /** CTAPHID_LOCK (11.2.9.2.2): exclusive use for 1..10 s; 0 releases. */
  #setLock(cid: number, payload: Uint8Array): void {
    if (payload.length !== 1) return this.#sendError(cid, CtaphidError.INVALID_LEN);
    const seconds = payload[0];
    if (seconds > MAX_LOCK_SECONDS) return this.#sendError(cid, CtaphidError.INVALID_PAR);
    this.#releaseLock();
    if (seconds > 0) this.#lock = { cid, timer: setTimeout(() => this.#releaseLock(), seconds * 1000) };
    this.#reply(cid, CtaphidCommand.LOCK, new Uint8Array(0));
  }

  #releaseLock(): void {
    if (this.#lock) clearTimeout(this.#lock.timer);
    this.#lock = undefined;
  }

  /** CTAPHID_MSG (11.2.9.1.1): hand the APDU to the applet, keepalives until it answers. */
  #process(cid: number, request: Uint8Array): void {
    const keepalive = setInterval(
      () => this.#reply(cid, CtaphidCommand.KEEPALIVE, Uint8Array.of(KeepaliveStatus.PROCESSING)),
      this.#keepaliveIntervalMs,
    );
    const transaction: Processing = { state: 'processing', cid, keepalive };
    this.#transaction = transaction;
    const call = this.#appletIdle.then(() => this.#applet.process(request));
    this.#appletIdle = call.then(
      () => undefined,
      () => undefined,
    );
    call.then(
      (response) => this.#finish(transaction, response),
      () => this.#finish(transaction, undefined),
    );
  }

  /** Answer a MSG unless it was aborted meanwhile; a failed or unframeable answer is ERR_OTHER. */
  #finish(transaction: Processing, response: Uint8Array | undefined): void {
    if (this.#transaction !== transaction) return;
    this.#endTransaction();
    const valid = response instanceof Uint8Array && response.length <= MAX_MESSAGE_SIZE;
    if (valid) this.#reply(transaction.cid, CtaphidCommand.MSG, response);
    else this.#sendError(transaction.cid, CtaphidError.OTHER);
  }

  #endTransaction(): void {
    const current = this.#transaction;
    if (!current) return;
    if (current.state === 'receiving') clearTimeout(current.timer);
    else clearInterval(current.keepalive);
    this.#transaction = undefined;
  }

  #sendError(cid: number, code: CtaphidErrorCode): void {
    this.#reply(cid, CtaphidCommand.ERROR, Uint8Array.of(code));
  }

  #reply(cid: number, command: number, payload: Uint8Array): void {
    if (this.#closed) return;
    for (const report of fragmentMessage(cid, command, payload)) {
      emitReport(this.#onReport, 'in', report);
      try {
        this.#send(report);
      } catch {
        // A failing sink is the transport's fault; the device's state stays consistent without it.
        return;
      }
    }
  }
}
