// CTAPHID client, the host's side of CTAP 2.1 section 11.2: allocate a channel with CTAPHID_INIT
// on the broadcast CID (11.2.9.1.3), then one request at a time on it, reading past KEEPALIVE frames
// and reports for other channels. After a timeout or a cancel the channel is resynchronised with
// an INIT on its own CID before the next request, so a late answer can never be taken for a new one.
import { randomBytes } from 'node:crypto';
import {
  BROADCAST_CID,
  CtaphidCommand,
  INIT_NONCE_SIZE,
  MAX_LOCK_SECONDS,
  MAX_MESSAGE_SIZE,
  commandName,
  formatCid,
} from '../../emulator/ctaphid/constants.ts';
import { MessageAssembler, fragmentMessage, normalizeReport, parsePacket } from '../../emulator/ctaphid/framing.ts';
import { parseInitResponse } from '../../emulator/ctaphid/init-response.ts';
import type { DeviceVersion, InitResponse } from '../../emulator/ctaphid/init-response.ts';
import { emitReport } from '../../emulator/ctaphid/report-event.ts';
import type { ReportListener } from '../../emulator/ctaphid/report-event.ts';
import type { ReportTransport } from '../transports/report-transport.ts';
import { CtaphidClientError, CtaphidProtocolError } from './errors.ts';
import type { CtaphidRequest } from './errors.ts';
import { ReportReader } from './report-reader.ts';

export interface CtaphidClientOptions {
  /** Default wait for the device's next report on the channel, in ms; a KEEPALIVE restarts it. */
  timeoutMs?: number;
  /** Nonce of the opening CTAPHID_INIT (8 bytes); random by default. */
  nonce?: Uint8Array;
  /** Read-only hook on every report written (`out`) and read (`in`), other channels' included. */
  onReport?: ReportListener;
}

export interface CallOptions {
  /** Wait for the device's next report on the channel, in ms; a KEEPALIVE restarts it. */
  timeoutMs?: number;
  /** Called with each KEEPALIVE status (KeepaliveStatus.PROCESSING, UPNEEDED). */
  onKeepalive?: (status: number) => void;
}

/** What CTAPHID_INIT told us about the device. */
export interface CtaphidDeviceInfo {
  protocolVersion: number;
  deviceVersion: DeviceVersion;
  /** Capability flags: Capability.WINK, CBOR, NMSG. */
  capabilities: number;
}

interface ClientParts {
  transport: ReportTransport;
  reader: ReportReader;
  cid: number;
  info: CtaphidDeviceInfo;
  timeoutMs: number;
  onReport: ReportListener | undefined;
}

export class CtaphidClient {
  /** The raw transport, for conformance scenarios that send hand-made reports. */
  readonly transport: ReportTransport;
  readonly cid: number;
  readonly info: CtaphidDeviceInfo;
  readonly #reader: ReportReader;
  readonly #timeoutMs: number;
  readonly #onReport: ReportListener | undefined;
  /** Requests run one after another; this settles when the last one has. */
  #queue: Promise<unknown> = Promise.resolve();
  /** Aborts the request in flight (cancel, close). */
  #inFlight: AbortController | undefined;
  #needsResync = false;

  /** Allocate a channel: INIT on the broadcast CID, skipping reports that are not its answer. */
  static async open(transport: ReportTransport, options: CtaphidClientOptions = {}): Promise<CtaphidClient> {
    const { timeoutMs = 3000, nonce = randomBytes(INIT_NONCE_SIZE), onReport } = options;
    const reader = new ReportReader(transport);
    const parts = { transport, reader, cid: BROADCAST_CID, timeoutMs, onReport };
    const response = await initExchange(parts, nonce);
    const { protocolVersion, deviceVersion, capabilities } = response;
    return new CtaphidClient({ ...parts, cid: response.cid, info: { protocolVersion, deviceVersion, capabilities } });
  }

  private constructor({ transport, reader, cid, info, timeoutMs, onReport }: ClientParts) {
    this.transport = transport;
    this.#reader = reader;
    this.cid = cid;
    this.info = info;
    this.#timeoutMs = timeoutMs;
    this.#onReport = onReport;
  }

  /**
   * Send one request and return the response payload. Throws CtaphidProtocolError on an ERROR frame,
   * CtaphidClientError on timeout, cancel or a malformed answer. Calls are queued, never interleaved.
   */
  call(command: number, payload: Uint8Array, options: CallOptions = {}): Promise<Uint8Array> {
    const run = this.#queue.then(() => this.#run(command, payload, options));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** CTAPHID_PING: the device echoes `data`. */
  ping(data: Uint8Array): Promise<Uint8Array> {
    return this.call(CtaphidCommand.PING, data);
  }

  /** CTAPHID_WINK. */
  async wink(): Promise<void> {
    await this.call(CtaphidCommand.WINK, new Uint8Array(0));
  }

  /** CTAPHID_LOCK for `seconds` (0 releases; the device rejects more than 10 with ERR_INVALID_PAR). */
  async lock(seconds: number): Promise<void> {
    if (!Number.isInteger(seconds) || seconds < 0 || seconds > 0xff) {
      throw new RangeError(`lock time: expected one byte (the device accepts 0..${MAX_LOCK_SECONDS} s), got ${seconds}`);
    }
    await this.call(CtaphidCommand.LOCK, Uint8Array.of(seconds));
  }

  /** CTAPHID_MSG: one U2F APDU in, the response APDU (data || SW) out. */
  msg(apdu: Uint8Array): Promise<Uint8Array> {
    return this.call(CtaphidCommand.MSG, apdu);
  }

  /**
   * CTAPHID_CANCEL: sent at once, outside the queue, and never answered. The request in flight, if
   * any, fails with CtaphidClientError('cancelled'); the next request first resynchronises.
   */
  async cancel(): Promise<void> {
    const inFlight = this.#inFlight; // not a request queued behind it that starts meanwhile
    this.#needsResync = true;
    await writeRequest(this.#parts(this.#timeoutMs), CtaphidCommand.CANCEL, new Uint8Array(0));
    inFlight?.abort('cancelled by the host');
  }

  /** Fail the request in flight and close the transport. */
  async close(): Promise<void> {
    this.#inFlight?.abort('client closed');
    await this.transport.close();
  }

  async #run(command: number, payload: Uint8Array, { timeoutMs = this.#timeoutMs, onKeepalive }: CallOptions): Promise<Uint8Array> {
    const controller = new AbortController();
    const { signal } = controller;
    this.#inFlight = controller;
    try {
      if (this.#needsResync) await this.#resync(timeoutMs, signal);
      const parts = this.#parts(timeoutMs);
      await writeRequest(parts, command, payload);
      return await readResponse(parts, command, { onKeepalive, signal });
    } catch (error) {
      if (signal.aborted) {
        this.#needsResync = true;
        throw new CtaphidClientError('cancelled', { command, cid: this.cid }, String(signal.reason));
      }
      if (error instanceof CtaphidClientError) this.#needsResync = true;
      throw error;
    } finally {
      this.#inFlight = undefined;
    }
  }

  /** INIT on our own CID (11.2.9.1.3): the device drops whatever it had for us, and so do we. */
  async #resync(timeoutMs: number, signal: AbortSignal): Promise<void> {
    const response = await initExchange(this.#parts(timeoutMs), randomBytes(INIT_NONCE_SIZE), signal);
    if (response.cid !== this.cid) {
      const request = { command: CtaphidCommand.INIT, cid: this.cid };
      throw new CtaphidClientError('malformed-response', request, `resync moved the channel to ${formatCid(response.cid)}`);
    }
    this.#needsResync = false;
  }

  #parts(timeoutMs: number): Exchanger {
    return { transport: this.transport, reader: this.#reader, cid: this.cid, timeoutMs, onReport: this.#onReport };
  }
}

/** What one exchange needs. */
type Exchanger = Omit<ClientParts, 'info'>;

interface ReadOptions {
  onKeepalive?: ((status: number) => void) | undefined;
  signal?: AbortSignal | undefined;
}

async function writeRequest({ transport, cid, onReport }: Exchanger, command: number, payload: Uint8Array): Promise<void> {
  for (const report of fragmentMessage(cid, command, payload)) {
    emitReport(onReport, 'out', report);
    await transport.write(report);
  }
}

/** INIT with `nonce` on `parts.cid`, reading past answers that carry another nonce (another host's, or stale). */
async function initExchange(parts: Exchanger, nonce: Uint8Array, signal?: AbortSignal): Promise<InitResponse> {
  if (nonce.length !== INIT_NONCE_SIZE) {
    throw new RangeError(`CTAPHID_INIT nonce: expected ${INIT_NONCE_SIZE} bytes, got ${nonce.length}`);
  }
  await writeRequest(parts, CtaphidCommand.INIT, nonce);
  for (;;) {
    const response = parseInitResponse(await readResponse(parts, CtaphidCommand.INIT, { signal }));
    if (response && response.nonce.every((byte, i) => byte === nonce[i])) return response;
  }
}

/**
 * Read until a complete `command` answer on `parts.cid`: skip other channels, stray continuation
 * packets and stale answers to other commands; report KEEPALIVE; throw on ERROR. Each report on the
 * channel restarts the `timeoutMs` wait.
 */
async function readResponse(parts: Exchanger, command: number, { onKeepalive, signal }: ReadOptions): Promise<Uint8Array> {
  const { reader, cid, timeoutMs, onReport } = parts;
  const request: CtaphidRequest = { command, cid };
  let deadline = performance.now() + timeoutMs;
  let assembler: MessageAssembler | undefined;
  for (;;) {
    const raw = await reader.next(deadline, signal);
    if (!raw) throw new CtaphidClientError('timeout', request, `no answer within ${timeoutMs} ms on ${parts.transport.name}`);
    const report = normalizeReport(raw);
    if (!report) continue;
    emitReport(onReport, 'in', report);
    const packet = parsePacket(report);
    if (packet.cid !== cid) continue;
    deadline = performance.now() + timeoutMs;
    if (packet.type === 'continuation') {
      if (!assembler) continue;
      if (assembler.accept(packet) === 'invalid-seq') {
        throw new CtaphidClientError('malformed-response', request, `continuation out of order (SEQ ${packet.seq})`);
      }
    } else if (packet.command === CtaphidCommand.KEEPALIVE) {
      onKeepalive?.(packet.length > 0 ? packet.data[0] : 0);
      continue;
    } else if (packet.command === CtaphidCommand.ERROR) {
      throw new CtaphidProtocolError(packet.length > 0 ? packet.data[0] : 0, request);
    } else if (packet.command !== command) {
      continue;
    } else if (assembler) {
      throw new CtaphidClientError('malformed-response', request, `a second ${commandName(command)} answer began before the first ended`);
    } else if (packet.length > MAX_MESSAGE_SIZE) {
      throw new CtaphidClientError('malformed-response', request, `BCNT ${packet.length} exceeds ${MAX_MESSAGE_SIZE}`);
    } else {
      assembler = new MessageAssembler(packet);
    }
    if (assembler.complete) return assembler.payload;
  }
}
