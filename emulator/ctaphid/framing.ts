// CTAPHID message framing: CTAP 2.1 section 11.2.4 (message and packet structure).
// One implementation shared by the device (emulator/ctaphid) and the host (harness/ctaphid).
import {
  CONT_DATA_SIZE,
  CtaphidCommand,
  HID_REPORT_SIZE,
  INIT_DATA_SIZE,
  MAX_MESSAGE_SIZE,
  TYPE_INIT,
  commandName,
  errorName,
  formatCid,
  keepaliveStatusName,
} from './constants.ts';

/** First packet of a message: `CID || CMD|0x80 || BCNTH || BCNTL || data (57)`. */
export interface InitPacket {
  readonly type: 'init';
  readonly cid: number;
  /** Command code without the 0x80 type bit. */
  readonly command: number;
  /** BCNT: the whole message's payload length, as announced (may exceed MAX_MESSAGE_SIZE). */
  readonly length: number;
  /** All 57 data bytes of the packet, padding included. */
  readonly data: Uint8Array;
}

/** Following packet: `CID || SEQ || data (59)`. */
export interface ContinuationPacket {
  readonly type: 'continuation';
  readonly cid: number;
  readonly seq: number;
  /** All 59 data bytes of the packet, padding included. */
  readonly data: Uint8Array;
}

export type CtaphidPacket = InitPacket | ContinuationPacket;

function assertReportSize(report: Uint8Array): void {
  if (report.length !== HID_REPORT_SIZE) {
    throw new RangeError(`CTAPHID report: expected ${HID_REPORT_SIZE} bytes, got ${report.length}`);
  }
}

/**
 * Bring a received report to exactly 64 bytes: shorter ones are zero-padded (a UDP peer may trim
 * trailing zeros); longer ones cannot be framed and give undefined (the caller drops them).
 */
export function normalizeReport(report: Uint8Array): Uint8Array | undefined {
  if (report.length > HID_REPORT_SIZE) return undefined;
  if (report.length === HID_REPORT_SIZE) return report;
  const padded = new Uint8Array(HID_REPORT_SIZE);
  padded.set(report);
  return padded;
}

/** Parse a 64-byte report (see normalizeReport); throws RangeError on any other size. */
export function parsePacket(report: Uint8Array): CtaphidPacket {
  assertReportSize(report);
  const view = new DataView(report.buffer, report.byteOffset, report.byteLength);
  const cid = view.getUint32(0);
  const typeByte = report[4];
  if (typeByte & TYPE_INIT) {
    return { type: 'init', cid, command: typeByte & ~TYPE_INIT, length: view.getUint16(5), data: report.subarray(7) };
  }
  return { type: 'continuation', cid, seq: typeByte, data: report.subarray(5) };
}

/** Split a message into 64-byte reports; an empty payload is one init packet with BCNT 0. */
export function fragmentMessage(cid: number, command: number, payload: Uint8Array): Uint8Array[] {
  if (payload.length > MAX_MESSAGE_SIZE) {
    throw new RangeError(`CTAPHID message: at most ${MAX_MESSAGE_SIZE} bytes, got ${payload.length}`);
  }
  const first = new Uint8Array(HID_REPORT_SIZE);
  const view = new DataView(first.buffer);
  view.setUint32(0, cid);
  first[4] = TYPE_INIT | command;
  view.setUint16(5, payload.length);
  first.set(payload.subarray(0, INIT_DATA_SIZE), 7);
  const reports = [first];
  for (let offset = INIT_DATA_SIZE, seq = 0; offset < payload.length; offset += CONT_DATA_SIZE, seq++) {
    const next = new Uint8Array(HID_REPORT_SIZE);
    new DataView(next.buffer).setUint32(0, cid);
    next[4] = seq;
    next.set(payload.subarray(offset, offset + CONT_DATA_SIZE), 5);
    reports.push(next);
  }
  return reports;
}

export type AssemblyStatus = 'incomplete' | 'complete' | 'invalid-seq';

/** Collects one message from its init packet and continuation packets, checking SEQ order. */
export class MessageAssembler {
  readonly cid: number;
  readonly command: number;
  readonly #buffer: Uint8Array;
  #filled: number;
  #nextSeq = 0;

  /** @throws RangeError if the init packet announces more than MAX_MESSAGE_SIZE bytes */
  constructor(init: InitPacket) {
    if (init.length > MAX_MESSAGE_SIZE) {
      throw new RangeError(`CTAPHID message: BCNT at most ${MAX_MESSAGE_SIZE}, got ${init.length}`);
    }
    this.cid = init.cid;
    this.command = init.command;
    this.#buffer = new Uint8Array(init.length);
    this.#filled = Math.min(init.length, INIT_DATA_SIZE);
    this.#buffer.set(init.data.subarray(0, this.#filled));
  }

  get complete(): boolean {
    return this.#filled === this.#buffer.length;
  }

  /** Add the next continuation packet (the caller has checked its CID). */
  accept(packet: ContinuationPacket): AssemblyStatus {
    if (this.complete) throw new Error('CTAPHID message already complete');
    if (packet.seq !== this.#nextSeq) return 'invalid-seq';
    this.#nextSeq++;
    const take = Math.min(this.#buffer.length - this.#filled, CONT_DATA_SIZE);
    this.#buffer.set(packet.data.subarray(0, take), this.#filled);
    this.#filled += take;
    return this.complete ? 'complete' : 'incomplete';
  }

  /** The whole payload; only once complete. */
  get payload(): Uint8Array {
    if (!this.complete) throw new Error(`CTAPHID message incomplete: ${this.#filled} of ${this.#buffer.length} bytes`);
    return this.#buffer;
  }
}

/** One line for logs and transcripts, e.g. `INIT cid=0xffffffff bcnt=8`, `CONT cid=0x0a0b0c0d seq=3`. */
export function describeReport(report: Uint8Array): string {
  const normalized = normalizeReport(report);
  if (!normalized) return `oversized report (${report.length} bytes)`;
  const packet = parsePacket(normalized);
  if (packet.type === 'continuation') return `CONT cid=${formatCid(packet.cid)} seq=${packet.seq}`;
  const head = `${commandName(packet.command)} cid=${formatCid(packet.cid)} bcnt=${packet.length}`;
  if (packet.length < 1) return head;
  if (packet.command === CtaphidCommand.ERROR) return `${head} ${errorName(packet.data[0])}`;
  if (packet.command === CtaphidCommand.KEEPALIVE) return `${head} ${keepaliveStatusName(packet.data[0])}`;
  return head;
}
