// CTAPHID reports and message sequences (fuzz/generators/ctaphid-reports.ts, MSGs carrying the
// U2F APDU generator's requests) into a CtaphidDevice with the real token behind it, in process, as
// emulator/serve-token.ts assembles a key. Each input gets a fresh device (a power cycle, as a USB
// reset gives) in front of the one long-lived token. Checked per input:
// - every report sent is a 64-byte, well-formed CTAPHID frame of a response command;
// - an ERROR carries a defined code and goes to the channel whose packet caused it (or, for a
//   message timeout, to a channel that was sending one);
// - only MSG payloads a correct reassembler could build reach the token (and only such PINGs are
//   echoed), every token answer is the one the spec owes (signatures verified), and MSG replies
//   carry exactly those answers;
// - the counter moves only with a successful AUTHENTICATE;
// - after INIT floods, at most DEFAULT_CHANNEL_CAPACITY channels are still known (bounded memory);
// - afterwards, a host that resyncs its channels gets a fresh INIT, PING and U2F VERSION answered.
import fc from 'fast-check';
import {
  BROADCAST_CID,
  CTAPHID_PROTOCOL_VERSION,
  Capability,
  CtaphidCommand,
  CtaphidDevice,
  CtaphidError,
  DEFAULT_CHANNEL_CAPACITY,
  type CtaphidApplet,
  INIT_RESPONSE_SIZE,
  KeepaliveStatus,
  MAX_MESSAGE_SIZE,
  commandName,
  errorName,
  fragmentMessage,
} from '../../emulator/ctaphid/index.ts';
import type { ApduEvent } from '../../emulator/token/index.ts';
import { encodeApdu } from '../../harness/u2f/index.ts';
import { defineFuzzTarget } from '../fuzz-target.ts';
import { completeMessages } from '../generators/ctaphid-reassembly.ts';
import { type CtaphidStep, INIT_NONCE, counterRandom, ctaphidStep, isAllocation, stepReports } from '../generators/ctaphid-reports.ts';
import { checkU2fAnswer } from '../generators/u2f-answers.ts';
import { type U2fApdu, encodeU2fApdu, u2fApdu } from '../generators/u2f-apdus.ts';
import { openKeyedToken } from '../generators/u2f-keys.ts';

const { PING, MSG, LOCK, INIT, WINK, KEEPALIVE, ERROR } = CtaphidCommand;
/** Short, so that the rare pause steps see unfinished messages time out. */
const MESSAGE_TIMEOUT_MS = 40;
const PAUSE_MS = 50;
const RESPONSE_COMMANDS = new Set<number>([PING, MSG, LOCK, INIT, WINK, KEEPALIVE, ERROR]);
const ERROR_CODES = new Set<number>(Object.values(CtaphidError));
const VERSION_APDU = encodeApdu({ ins: 0x03 });
const RECOVERY_NONCE = Uint8Array.of(8, 7, 6, 5, 4, 3, 2, 1);

const steps = (options: { maxFlood?: number; pauseMs?: number }) => fc.array(ctaphidStep({ payload: u2fApdu, ...options }), { maxLength: 30 });
/** Every input starts with channels 1, 2 and 3 allocated, so that most packets reach real channels. */
const OPENING: CtaphidStep<U2fApdu>[] = [1, 2, 3].map(() => ({ kind: 'allocate', settle: true }));

/** A report the device sent, and the report it was answering (none for timers and applet answers). */
interface Sent {
  readonly report: Uint8Array;
  readonly cause: Uint8Array | undefined;
}

interface Message {
  readonly cid: number;
  readonly command: number;
  readonly payload: Uint8Array;
  readonly cause: Uint8Array | undefined;
}

export default defineFuzzTarget({
  name: 'ctaphid-reports',
  surface: 'CTAPHID report sequences (U2F APDUs in MSGs) into CtaphidDevice with the real U2fToken behind it',
  // Floods and pauses cost time: only some inputs contain them.
  input: fc.oneof(
    { weight: 12, arbitrary: steps({}) },
    { weight: 2, arbitrary: steps({ maxFlood: 300 }) },
    { weight: 1, arbitrary: steps({ pauseMs: PAUSE_MS }) },
  ),
  async setup() {
    const events: ApduEvent[] = [];
    const { token, keys } = await openKeyedToken({ onApdu: (event) => events.push(event) });
    events.length = 0;
    return { token, keys, events };
  },
  async execute({ token, keys, events }, input) {
    events.length = 0;
    const counter = token.counter;
    let calls = 0;
    const applet: CtaphidApplet = {
      process: (request) => {
        calls++;
        return token.process(request).finally(() => calls--);
      },
      wink: () => token.wink(),
    };
    const sent: Sent[] = [];
    let cause: Uint8Array | undefined;
    const device = new CtaphidDevice({
      applet,
      send: (report) => sent.push({ report: report.slice(), cause }),
      random: counterRandom(),
      messageTimeoutMs: MESSAGE_TIMEOUT_MS,
    });
    const fed: Uint8Array[] = [];
    const feed = (report: Uint8Array) => {
      fed.push(report);
      cause = padded(report);
      device.receive(report);
      cause = undefined;
    };
    // The host waits until the token has answered everything handed to it.
    const settled = async () => {
      do await new Promise((resolve) => setImmediate(resolve));
      while (calls > 0);
    };
    try {
      for (const step of [...OPENING, ...input]) {
        if (step.kind === 'pause') await new Promise((resolve) => setTimeout(resolve, step.ms));
        for (const report of stepReports(step, (apdu) => encodeU2fApdu(apdu, keys))) feed(report);
        if (step.settle) await settled();
      }
      await settled();
      const fuzzed = sent.length;

      // Recover as a host would: resync every channel that may exist and release any lock, then
      // allocate a fresh channel and use it.
      const allocations = fed.filter(isAllocation).length;
      for (let cid = 1; cid <= allocations; cid++) {
        for (const report of fragmentMessage(cid, INIT, INIT_NONCE)) feed(report);
        for (const report of fragmentMessage(cid, LOCK, Uint8Array.of(0))) feed(report);
      }
      const kept = decodeOutput(sent.slice(fuzzed)).filter((m) => m.command === INIT).length;
      if (kept > DEFAULT_CHANNEL_CAPACITY) throw new Error(`${kept} of ${allocations} channels still answer: the channel table is unbounded`);
      const recovery = sent.length;
      for (const report of fragmentMessage(BROADCAST_CID, INIT, RECOVERY_NONCE)) feed(report);
      const fresh = recoveryChannel(decodeOutput(sent.slice(recovery)));
      for (const report of fragmentMessage(fresh, PING, Uint8Array.of(1, 2, 3))) feed(report);
      for (const report of fragmentMessage(fresh, MSG, VERSION_APDU)) feed(report);
      await settled();

      const messages = decodeOutput(sent);
      checkMessages(messages, fed.filter(isAllocation).length, events);
      const pings = completeMessages(fed, PING);
      for (const { payload } of messages.filter((m) => m.command === PING)) {
        if (!pings.has(hex(payload))) throw new Error(`PING answered with ${hex(payload)}, which no correct reassembly of the reports gives`);
      }
      checkRecovery(decodeOutput(sent.slice(recovery)), fresh);
      const reassemblable = completeMessages(fed);
      for (const event of events) {
        if (!reassemblable.has(hex(event.request))) throw new Error(`the token got ${hex(event.request)}, which no correct reassembly of the reports gives`);
      }
      let expected = counter;
      const labels: string[] = [];
      for (const event of events) {
        const checked = checkU2fAnswer({ request: event.request, response: event.response, keys, presence: true, counter: expected });
        expected = checked.counter;
        labels.push(checked.label);
      }
      if (token.counter !== expected) throw new Error(`token counter ${counter} -> ${token.counter}, expected ${expected}`);
      // The last answer is the recovery's VERSION; the one before it, if any, is the input's.
      return outcome(decodeOutput(sent.slice(0, fuzzed)), labels.at(-2));
    } finally {
      device.close();
    }
  },
  async teardown({ token }) {
    await token.close();
  },
});

/** Split the device's output into messages; throws on any report that is not a well-formed frame. */
function decodeOutput(sent: readonly Sent[]): Message[] {
  const messages: Message[] = [];
  let open: { cid: number; command: number; length: number; bytes: number[]; seq: number; cause: Uint8Array | undefined } | undefined;
  for (const { report, cause } of sent) {
    if (report.length !== 64) throw new Error(`the device sent a report of ${report.length} bytes`);
    const cid = u32(report, 0);
    let used: number;
    if (report[4]! & 0x80) {
      if (open) throw new Error(`init packet to ${cid} while the message to ${open.cid} is incomplete`);
      const command = report[4]! & 0x7f;
      const length = (report[5]! << 8) | report[6]!;
      if (!RESPONSE_COMMANDS.has(command)) throw new Error(`the device sent command 0x${command.toString(16)}`);
      if (length > MAX_MESSAGE_SIZE) throw new Error(`the device announced ${length} bytes`);
      used = 7 + Math.min(length, 57);
      open = { cid, command, length, bytes: [...report.subarray(7, used)], seq: 0, cause };
    } else {
      if (!open) throw new Error(`continuation packet to ${cid} without a message`);
      if (cid !== open.cid || report[4] !== open.seq) throw new Error(`continuation cid ${cid} seq ${report[4]}, expected cid ${open.cid} seq ${open.seq}`);
      used = 5 + Math.min(open.length - open.bytes.length, 59);
      open.bytes.push(...report.subarray(5, used));
      open.seq++;
    }
    if (report.subarray(used).some((byte) => byte !== 0)) throw new Error(`report to ${cid} has non-zero padding`);
    if (open.bytes.length === open.length) {
      messages.push({ cid: open.cid, command: open.command, payload: Uint8Array.from(open.bytes), cause: open.cause });
      open = undefined;
    }
  }
  if (open) throw new Error(`the message to ${open.cid} was never finished`);
  return messages;
}

/**
 * Answers to a packet go to that packet's channel; timers and the applet answer only allocated
 * channels (counterRandom gives 1..allocations), with MSG replies that are the token's own answers.
 */
function checkMessages(messages: readonly Message[], allocations: number, events: readonly ApduEvent[]): void {
  const answers = new Set(events.map((event) => hex(event.response)));
  for (const { cid, command, payload, cause } of messages) {
    const what = `${command === ERROR ? errorName(payload[0] ?? -1) : `command 0x${command.toString(16)}`} to ${cid}`;
    if (command === ERROR && (payload.length !== 1 || !ERROR_CODES.has(payload[0]!))) throw new Error(`ERROR with payload ${hex(payload)}`);
    if (cause) {
      const causeCid = u32(cause, 0);
      if (cid !== causeCid) throw new Error(`${what} answers a packet to ${causeCid}`);
      if (command === INIT) checkInitResponse(payload, cause);
      if ((command === LOCK || command === WINK) && payload.length !== 0) throw new Error(`${what} carries ${payload.length} bytes`);
      if (command === MSG || command === KEEPALIVE) throw new Error(`${what} sent while a packet was being received`);
      continue;
    }
    if (cid < 1 || cid > allocations) throw new Error(`${what} sent on its own, to a channel never allocated`);
    if (command === ERROR && payload[0] !== CtaphidError.MSG_TIMEOUT) throw new Error(`${what} sent on its own`);
    if (command === KEEPALIVE && (payload.length !== 1 || (payload[0] !== KeepaliveStatus.PROCESSING && payload[0] !== KeepaliveStatus.UPNEEDED))) {
      throw new Error(`KEEPALIVE with payload ${hex(payload)}`);
    }
    if (command === MSG && !answers.has(hex(payload))) throw new Error(`MSG reply ${hex(payload)} is no answer of the token`);
    if (command !== ERROR && command !== KEEPALIVE && command !== MSG) throw new Error(`${what} sent on its own`);
  }
}

/** CTAPHID_INIT response (11.2.9.1.3): the nonce echoed, a usable CID, U2F-only capabilities. */
function checkInitResponse(payload: Uint8Array, request: Uint8Array): void {
  if (payload.length !== INIT_RESPONSE_SIZE) throw new Error(`INIT response of ${payload.length} bytes`);
  if (hex(payload.subarray(0, 8)) !== hex(request.subarray(7, 15))) throw new Error('INIT response does not echo the nonce');
  const requested = u32(request, 0);
  const cid = u32(payload, 8);
  if (requested === BROADCAST_CID ? cid === 0 || cid === BROADCAST_CID : cid !== requested) throw new Error(`INIT on ${requested} answered with CID ${cid}`);
  if (payload[12] !== CTAPHID_PROTOCOL_VERSION || (payload[16]! & ~Capability.WINK) !== 0) throw new Error(`INIT response ${hex(payload)}`);
}

function recoveryChannel(messages: readonly Message[]): number {
  const init = messages.find((m) => m.command === INIT && m.cid === BROADCAST_CID);
  if (!init) throw new Error(`no INIT answer after recovery: ${describe(messages)}`);
  return u32(init.payload, 8);
}

function checkRecovery(messages: readonly Message[], cid: number): void {
  const answers = messages.filter((m) => m.command !== KEEPALIVE);
  const ping = answers.find((m) => m.cid === cid && m.command === PING);
  const version = answers.find((m) => m.cid === cid && m.command === MSG);
  if (hex(ping?.payload ?? new Uint8Array(0)) !== '010203') throw new Error(`PING after recovery: ${describe(answers)}`);
  if (hex(version?.payload ?? new Uint8Array(0)) !== `${hex(new TextEncoder().encode('U2F_V2'))}9000`) throw new Error(`VERSION after recovery: ${describe(answers)}`);
}

/** The deepest thing the input reached: a U2F answer, else a CTAPHID error, else the last reply. */
function outcome(messages: readonly Message[], u2f: string | undefined): string {
  if (u2f) return u2f;
  const errors = messages.filter((m) => m.command === ERROR);
  if (errors.length > 0) return errorName(errors.at(-1)!.payload[0]!);
  return messages.length > 0 ? `no error, last reply ${commandName(messages.at(-1)!.command)}` : 'no reply';
}

function describe(messages: readonly Message[]): string {
  return messages.map((m) => `0x${m.command.toString(16)}@${m.cid}:${hex(m.payload)}`).join(' ') || 'nothing';
}

/** The report as the device reads it: zero-padded to 64 bytes. */
function padded(report: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.max(64, report.length));
  out.set(report);
  return out;
}

const u32 = (bytes: Uint8Array, at: number) => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(at);
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
