// Holds a USB/IP server's byte stream to what a client's messages are owed (usbip_protocol.rst):
// OP_REP_DEVLIST / OP_REP_IMPORT for the opening, then for each CMD_SUBMIT one RET_SUBMIT with its
// seqnum, a status (0 or -EPIPE; -EPIPE where only a STALL is right) and at most the buffer's
// length of data, and for each CMD_UNLINK one RET_UNLINK (-ECONNRESET only for a URB still pending,
// which is then never answered). Replies are parsed by length from bytes in any TCP pieces.
import { UsbipClientError } from '../../harness/transports/usbip/usbip-client-error.ts';
import {
  Command,
  DEVICE_RECORD_SIZE,
  ECONNRESET,
  EPIPE,
  OP_HEADER_SIZE,
  Op,
  URB_HEADER_SIZE,
  decodeDeviceRecord,
  decodeOpHeader,
} from '../../harness/transports/usbip/usbip-wire.ts';
import { FUZZED_BUS_ID, type OpeningAnswer, type SentCommand, type SentSubmit, type SentUnlink } from './usbip-messages.ts';

/** What the replies showed, for outcome labels. */
export interface ReplyTally {
  /** RET_SUBMIT with status 0 / -EPIPE. */
  completed: number;
  stalled: number;
  /** Interrupt IN data received (CTAPHID reports from the device). */
  reportsIn: number;
  /** RET_UNLINK -ECONNRESET. */
  unlinked: number;
}

export class UsbipReplyChecker {
  readonly tally: ReplyTally = { completed: 0, stalled: 0, reportsIn: 0, unlinked: 0 };
  #violation: Error | undefined;
  #buffer: Uint8Array = new Uint8Array(0);
  /** `opening`: the answer to the opening is due; `urb`: URB replies; `done`: nothing more may come. */
  #phase: 'opening' | 'urb' | 'done' | 'unchecked';
  readonly #opening: OpeningAnswer;
  readonly #submits: SentSubmit[] = [];
  /**
   * Each unlink with the URB it names: the last one sent with that seqnum (an earlier one has
   * completed, or the seqnum could not have been reused), pending if not answered yet.
   */
  readonly #unlinks: Array<{ readonly unlink: SentUnlink; readonly target: SentSubmit | undefined }> = [];
  readonly #lastSubmit = new Map<number, SentSubmit>();
  /** Seqnums of URBs the server said it unlinked (-ECONNRESET): they must never complete. */
  readonly #cancelled = new Set<number>();
  #openingAnswered = false;

  constructor(opening: OpeningAnswer) {
    this.#opening = opening;
    this.#phase = opening === 'unknown' ? 'unchecked' : opening === 'closed' || opening === 'none' ? 'done' : 'opening';
  }

  /** The first broken rule, if any. */
  get violation(): Error | undefined {
    return this.#violation;
  }

  get openingAnswered(): boolean {
    return this.#openingAnswered;
  }

  /** Commands sent and not yet answered that must be answered without waiting for the device. */
  get owed(): number {
    return this.#submits.filter((s) => !s.mayPend).length + this.#unlinks.length;
  }

  /** Interrupt IN URBs still pending, to unlink before leaving. */
  get pendingIns(): readonly SentSubmit[] {
    return this.#submits.filter((s) => s.mayPend);
  }

  /** A command has been written in full: its answer may come from now on. */
  sent(command: SentCommand): void {
    if (command.kind === 'submit') {
      this.#submits.push(command);
      this.#lastSubmit.set(command.seqnum, command);
    } else {
      this.#unlinks.push({ unlink: command, target: this.#lastSubmit.get(command.target) });
    }
  }

  receive(chunk: Uint8Array): void {
    if (this.#violation || this.#phase === 'unchecked') return;
    this.#buffer = concat(this.#buffer, chunk);
    try {
      while (this.#buffer.length > 0 && this.#parseOne());
    } catch (error) {
      this.#violation = error instanceof UsbipClientError ? new Error(error.message) : (error as Error);
    }
  }

  /** The connection is closed: was every owed answer whole? */
  closed(): void {
    if (this.#violation || this.#phase === 'unchecked') return;
    if (this.#buffer.length > 0) this.#violation = new Error(`connection closed inside a reply (${this.#buffer.length} bytes of it arrived)`);
    else if (this.#phase === 'opening') this.#violation = new Error(`connection closed without the ${this.#opening} answer`);
  }

  /** Parse one reply from the buffer; false if it is not all there yet. */
  #parseOne(): boolean {
    switch (this.#phase) {
      case 'done':
        throw new Error(`${this.#buffer.length} bytes after the ${this.#opening} answer, which ends the conversation`);
      case 'opening':
        return this.#parseOpening();
      case 'urb':
        return this.#parseUrbReply();
      case 'unchecked':
        return false;
    }
  }

  #parseOpening(): boolean {
    if (this.#buffer.length < OP_HEADER_SIZE) return false;
    const devlist = this.#opening === 'devlist';
    const status = decodeOpHeader(this.#buffer.subarray(0, OP_HEADER_SIZE), devlist ? Op.REP_DEVLIST : Op.REP_IMPORT);
    if (devlist) {
      if (status !== 0) throw new Error(`OP_REP_DEVLIST status ${status}`);
      if (this.#buffer.length < OP_HEADER_SIZE + 4) return false;
      const count = u32(this.#buffer, OP_HEADER_SIZE);
      let at = OP_HEADER_SIZE + 4;
      const busIds: string[] = [];
      for (let i = 0; i < count; i++) {
        if (this.#buffer.length < at + DEVICE_RECORD_SIZE) return false;
        const record = decodeDeviceRecord(this.#buffer.subarray(at, at + DEVICE_RECORD_SIZE));
        busIds.push(record.busId);
        at += DEVICE_RECORD_SIZE + 4 * record.numInterfaces;
      }
      if (this.#buffer.length < at) return false;
      if (!busIds.includes(FUZZED_BUS_ID)) throw new Error(`device list ${busIds.join(', ')} lacks ${FUZZED_BUS_ID}`);
      return this.#consume(at, 'done');
    }
    if (this.#opening === 'refused') {
      if (status !== 1) throw new Error(`OP_REP_IMPORT status ${status} for a bus id that is unknown or taken`);
      return this.#consume(OP_HEADER_SIZE, 'done');
    }
    if (status !== 0) throw new Error(`OP_REP_IMPORT status ${status} for ${FUZZED_BUS_ID}`);
    if (this.#buffer.length < OP_HEADER_SIZE + DEVICE_RECORD_SIZE) return false;
    const record = decodeDeviceRecord(this.#buffer.subarray(OP_HEADER_SIZE, OP_HEADER_SIZE + DEVICE_RECORD_SIZE));
    if (record.busId !== FUZZED_BUS_ID) throw new Error(`imported ${record.busId}, asked for ${FUZZED_BUS_ID}`);
    return this.#consume(OP_HEADER_SIZE + DEVICE_RECORD_SIZE, 'urb');
  }

  #parseUrbReply(): boolean {
    if (this.#buffer.length < URB_HEADER_SIZE) return false;
    const header = this.#buffer.subarray(0, URB_HEADER_SIZE);
    const command = u32(header, 0);
    const seqnum = u32(header, 4);
    const status = new DataView(header.buffer, header.byteOffset, 48).getInt32(20);
    const actualLength = u32(header, 24);
    // usbip_protocol.rst: devid, direction and ep of a reply are 0.
    if (u32(header, 8) || u32(header, 12) || u32(header, 16)) throw new Error(`reply ${seqnum} has devid/direction/ep ${u32(header, 8)}/${u32(header, 12)}/${u32(header, 16)}`);
    if (command === Command.RET_UNLINK) {
      const at = this.#unlinks.findIndex(({ unlink }) => unlink.seqnum === seqnum);
      if (at < 0) throw new Error(`RET_UNLINK for seqnum ${seqnum}, which no CMD_UNLINK awaits`);
      const { unlink, target } = this.#unlinks.splice(at, 1)[0]!;
      const pending = target ? this.#submits.indexOf(target) : -1;
      if (status === ECONNRESET) {
        if (pending < 0) throw new Error(`RET_UNLINK -ECONNRESET for URB ${unlink.target}, which was not pending`);
        this.#submits.splice(pending, 1);
        this.#cancelled.add(unlink.target);
        this.tally.unlinked++;
      } else if (status === 0) {
        if (pending >= 0) throw new Error(`RET_UNLINK 0 for URB ${unlink.target}, which is pending and was never answered`);
      } else {
        throw new Error(`RET_UNLINK status ${status}`);
      }
      return this.#consume(URB_HEADER_SIZE, 'urb');
    }
    if (command !== Command.RET_SUBMIT) throw new Error(`URB reply command 0x${command.toString(16)}`);
    const at = this.#submits.findIndex((s) => s.seqnum === seqnum);
    if (at < 0) {
      const why = this.#cancelled.has(seqnum) ? 'which was unlinked' : 'which no CMD_SUBMIT awaits';
      throw new Error(`RET_SUBMIT for seqnum ${seqnum}, ${why}`);
    }
    const submit = this.#submits[at]!;
    const what = `RET_SUBMIT ${seqnum} (${submit.direction} ep ${submit.endpoint}, buffer ${submit.length})`;
    if (status !== 0 && status !== EPIPE) throw new Error(`${what}: status ${status}`);
    if (submit.mustStall && status !== EPIPE) throw new Error(`${what}: status ${status}, only a STALL is right`);
    if (status === EPIPE && actualLength !== 0) throw new Error(`${what}: a STALL moving ${actualLength} bytes`);
    if (actualLength > submit.length) throw new Error(`${what}: actual_length ${actualLength} exceeds the buffer`);
    if (submit.setupLength !== undefined && actualLength > submit.setupLength) throw new Error(`${what}: actual_length ${actualLength} exceeds wLength ${submit.setupLength}`);
    const dataLength = submit.direction === 'in' ? actualLength : 0;
    if (this.#buffer.length < URB_HEADER_SIZE + dataLength) return false;
    const data = this.#buffer.subarray(URB_HEADER_SIZE, URB_HEADER_SIZE + dataLength);
    if (status === 0 && submit.descriptorType !== undefined && data.length >= 2 && data[1] !== submit.descriptorType) {
      throw new Error(`${what}: descriptor of type ${data[1]} for a request of type ${submit.descriptorType}`);
    }
    this.#submits.splice(at, 1);
    if (status === 0) this.tally.completed++;
    else this.tally.stalled++;
    if (status === 0 && submit.mayPend && dataLength > 0) this.tally.reportsIn++;
    return this.#consume(URB_HEADER_SIZE + dataLength, 'urb');
  }

  #consume(size: number, next: 'urb' | 'done'): true {
    this.#buffer = this.#buffer.subarray(size);
    this.#openingAnswered = true;
    this.#phase = next;
    return true;
  }
}

const u32 = (bytes: Uint8Array, at: number) => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(at);

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
