// USB/IP connections (Linux Documentation/usb/usbip_protocol.rst) as a client might drive them:
// OP_REQ_DEVLIST or OP_REQ_IMPORT (good, unknown, busy, truncated or garbage bus ids, bad headers),
// then CMD_SUBMIT (control setup packets for the descriptors and HID class requests, interrupt IN
// and OUT on the right and wrong endpoints, direction mismatches, odd buffer lengths, wrong devids,
// reused seqnums, noise in the fields an interrupt device ignores) and CMD_UNLINK (of earlier URBs and of unknown seqnums), optionally ending in a
// header no server can parse or in garbage, all cut into TCP writes at random points.
//
// Rendering a script also says what each message is owed, from the protocol document: the checker
// in usbip-replies.ts holds the server to it.
import fc from 'fast-check';
import { ENDPOINT_OUT, HidRequest, StandardRequest, encodeSetupPacket } from '../../emulator/usb/index.ts';
import { encodeDevlistRequest, encodeImportRequest, encodeSubmit, encodeUnlink } from '../../harness/transports/usbip/usbip-wire.ts';
import { boundaryU16, boundaryU32 } from './byte-mutations.ts';
import { continuationPacket, initPacket } from './ctaphid-reports.ts';

/** The bus id the fuzzer imports; another client holds BUSY_BUS_ID throughout. */
export const FUZZED_BUS_ID = '1-1';
export const BUSY_BUS_ID = '1-2';
/** (busnum << 16) | devnum of 1-1, as the kernel fills usbip_header_basic.devid. */
const FUZZED_DEVID = 0x00010001;
/** Largest transfer_buffer_length the server takes (emulator/usbip: 64 KiB). */
export const MAX_TRANSFER_LENGTH = 0x10000;

export type UsbipOpening =
  | { readonly kind: 'devlist' }
  | { readonly kind: 'import'; readonly busId: string }
  | { readonly kind: 'bad-op'; readonly version: number; readonly code: number }
  /** The first `keep` bytes of a request, then nothing. */
  | { readonly kind: 'truncated'; readonly request: 'devlist' | 'import'; readonly keep: number }
  | { readonly kind: 'garbage'; readonly bytes: Uint8Array };

export type SeqnumChoice = 'fresh' | { readonly reuse: number };

/** bmRequestType, bRequest, wValue, wIndex, wLength. */
export type Setup = readonly [requestType: number, request: number, value: number, index: number, length: number];

export type UrbCommand =
  | {
      readonly kind: 'control';
      readonly setup: Setup;
      /** Against the setup packet's own direction bit, or not. */
      readonly direction: 'as-setup' | 'flipped';
      /** transfer_buffer_length of an IN transfer: wLength, or something else. */
      readonly length: 'wLength' | number;
      readonly seqnum: SeqnumChoice;
      readonly devid: number;
      readonly noise: HeaderNoise | null;
    }
  | {
      readonly kind: 'interrupt';
      readonly endpoint: number;
      readonly direction: 'in' | 'out';
      /** IN buffer size (OUT sends `data`). */
      readonly length: number;
      readonly data: Uint8Array;
      readonly seqnum: SeqnumChoice;
      readonly devid: number;
      readonly noise: HeaderNoise | null;
    }
  | { readonly kind: 'unlink'; readonly target: { readonly submit: number } | { readonly seqnum: number }; readonly devid: number };

/** transfer_flags, start_frame and interval of a CMD_SUBMIT: meaningless to an interrupt/control device. */
export type HeaderNoise = readonly [flags: number, startFrame: number, interval: number];

/** A CMD_SUBMIT header with one field the server cannot accept. */
export interface MalformedHeader {
  readonly field: 'command' | 'direction' | 'endpoint' | 'length' | 'packets';
  readonly value: number;
}

export type UsbipTail =
  | { readonly kind: 'malformed'; readonly header: MalformedHeader }
  /** An OUT submit announcing more bytes than follow: the server must wait for them. */
  | { readonly kind: 'short-out'; readonly declared: number; readonly data: Uint8Array }
  | { readonly kind: 'garbage'; readonly bytes: Uint8Array };

export interface UsbipScript {
  readonly opening: UsbipOpening;
  /** SET_CONFIGURATION(1) before the URBs, as an attaching host sends it. */
  readonly configure: boolean;
  readonly urbs: readonly UrbCommand[];
  readonly tail: UsbipTail | null;
  /** Byte offsets (modulo the stream length) where the client pauses between writes. */
  readonly cuts: readonly number[];
  /** One byte per write (short streams only). */
  readonly bytewise: boolean;
}

const { GET_STATUS, CLEAR_FEATURE, SET_FEATURE, SET_ADDRESS, GET_DESCRIPTOR, GET_CONFIGURATION, SET_CONFIGURATION, GET_INTERFACE, SET_INTERFACE } = StandardRequest;

/** What Linux sends while enumerating a HID device, and what a FIDO key must refuse. */
const SETUPS: readonly Setup[] = [
  [0x80, GET_DESCRIPTOR, 0x0100, 0, 18],
  [0x80, GET_DESCRIPTOR, 0x0100, 0, 64],
  [0x80, GET_DESCRIPTOR, 0x0200, 0, 9],
  [0x80, GET_DESCRIPTOR, 0x0200, 0, 0xff],
  [0x80, GET_DESCRIPTOR, 0x0300, 0, 0xff],
  [0x80, GET_DESCRIPTOR, 0x0302, 0x0409, 0xff],
  [0x80, GET_DESCRIPTOR, 0x0304, 0x0409, 0xff],
  [0x80, GET_DESCRIPTOR, 0x0600, 0, 10],
  [0x81, GET_DESCRIPTOR, 0x2200, 0, 0x1000],
  [0x81, GET_DESCRIPTOR, 0x2100, 0, 9],
  [0x80, GET_STATUS, 0, 0, 2],
  [0x81, GET_STATUS, 0, 0, 2],
  [0x82, GET_STATUS, 0, 0x81, 2],
  [0x80, GET_CONFIGURATION, 0, 0, 1],
  [0x00, SET_CONFIGURATION, 1, 0, 0],
  [0x00, SET_CONFIGURATION, 0, 0, 0],
  [0x00, SET_CONFIGURATION, 2, 0, 0],
  [0x00, SET_ADDRESS, 5, 0, 0],
  [0x81, GET_INTERFACE, 0, 0, 1],
  [0x01, SET_INTERFACE, 0, 0, 0],
  [0x02, SET_FEATURE, 0, 0x81, 0],
  [0x02, CLEAR_FEATURE, 0, 0x81, 0],
  [0x02, SET_FEATURE, 0, ENDPOINT_OUT, 0],
  [0x21, HidRequest.SET_IDLE, 0, 0, 0],
  [0xa1, HidRequest.GET_IDLE, 0, 0, 1],
  [0x21, HidRequest.SET_REPORT, 0x0200, 0, 64],
  [0xa1, HidRequest.GET_REPORT, 0x0100, 0, 64],
  [0x21, HidRequest.SET_PROTOCOL, 0, 0, 0],
];

const u8 = fc.nat({ max: 0xff });
const u16 = fc.oneof(boundaryU16, fc.nat({ max: 0xffff }));

/** A known request, sometimes with one field changed; now and then eight random bytes. */
const setupArb: fc.Arbitrary<Setup> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...SETUPS) },
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.constantFrom(...SETUPS), fc.nat({ max: 4 }), fc.oneof(u8, u16))
      .map(([setup, field, value]): Setup => {
        const changed = [...setup] as [number, number, number, number, number];
        changed[field] = field < 2 ? value & 0xff : value;
        return changed;
      }),
  },
  { weight: 1, arbitrary: fc.tuple(u8, u8, u16, u16, u16) },
);

const seqnumArb: fc.Arbitrary<SeqnumChoice> = fc.oneof({ weight: 8, arbitrary: fc.constant('fresh' as const) }, fc.record({ reuse: fc.nat({ max: 20 }) }));
const devidArb = fc.oneof({ weight: 12, arbitrary: fc.constant(FUZZED_DEVID) }, boundaryU32, fc.nat());
const noiseArb: fc.Arbitrary<HeaderNoise | null> = fc.oneof(
  { weight: 8, arbitrary: fc.constant(null) },
  fc.tuple(fc.oneof(boundaryU32, fc.nat()), fc.oneof(boundaryU32, fc.nat()), fc.oneof(boundaryU32, fc.nat())),
);
const inLength = fc.oneof({ weight: 6, arbitrary: fc.constant(64) }, fc.constantFrom(0, 1, 8, 63, 65, 4096, MAX_TRANSFER_LENGTH), fc.nat({ max: 200 }));
/** A CTAPHID output report for interrupt OUT or SET_REPORT: an allocation, a packet, or odd sizes. */
const reportArb = fc.oneof(
  { weight: 3, arbitrary: fc.constant(Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0x86, 0, 8, 1, 2, 3, 4, 5, 6, 7, 8, ...new Uint8Array(49)])) },
  { weight: 3, arbitrary: initPacket },
  { weight: 1, arbitrary: continuationPacket },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 80 }) },
);

export const urbCommand: fc.Arbitrary<UrbCommand> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('control' as const),
      setup: setupArb,
      direction: fc.oneof({ weight: 9, arbitrary: fc.constant('as-setup' as const) }, fc.constant('flipped' as const)),
      length: fc.oneof({ weight: 6, arbitrary: fc.constant('wLength' as const) }, inLength),
      seqnum: seqnumArb,
      devid: devidArb,
      noise: noiseArb,
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('interrupt' as const),
      endpoint: fc.oneof({ weight: 8, arbitrary: fc.constant(1) }, fc.integer({ min: 0, max: 15 })),
      direction: fc.constantFrom('in' as const, 'out' as const),
      length: inLength,
      data: reportArb,
      seqnum: seqnumArb,
      devid: devidArb,
      noise: noiseArb,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('unlink' as const),
      target: fc.oneof({ weight: 3, arbitrary: fc.record({ submit: fc.nat({ max: 20 }) }) }, fc.record({ seqnum: fc.oneof(boundaryU32, fc.nat()) })),
      devid: devidArb,
    }),
  },
);

const malformedHeader: fc.Arbitrary<MalformedHeader> = fc.oneof(
  fc.record({ field: fc.constant('command' as const), value: fc.oneof(fc.constantFrom(0, 3, 4, 5, 0x8003, 0x01118005, 0xffffffff), fc.integer({ min: 5, max: 0xffffffff })) }),
  fc.record({ field: fc.constant('direction' as const), value: fc.oneof(fc.constantFrom(2, 0x80, 0xffffffff), fc.integer({ min: 2, max: 0xffffffff })) }),
  fc.record({ field: fc.constant('endpoint' as const), value: fc.oneof(fc.constantFrom(16, 0x81, 0xff, 0xffffffff), fc.integer({ min: 16, max: 0xffffffff })) }),
  fc.record({ field: fc.constant('length' as const), value: fc.oneof(fc.constantFrom(MAX_TRANSFER_LENGTH + 1, 0x7fffffff, 0x80000000, 0xffffffff), fc.integer({ min: MAX_TRANSFER_LENGTH + 1, max: 0xffffffff })) }),
  fc.record({ field: fc.constant('packets' as const), value: fc.oneof(fc.constantFrom(1, 2, 0x7fffffff, 0xfffffffe), fc.integer({ min: 1, max: 0xfffffffe })) }),
);

const busIdArb = fc.oneof(
  { weight: 12, arbitrary: fc.constant(FUZZED_BUS_ID) },
  { weight: 2, arbitrary: fc.constantFrom(BUSY_BUS_ID, '1-3', '0-1', '1-128', '1-1 ', '', '1-1'.padEnd(40, '1')) },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
);

const openingArb: fc.Arbitrary<UsbipOpening> = fc.oneof(
  { weight: 12, arbitrary: fc.record({ kind: fc.constant('import' as const), busId: busIdArb }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'devlist' as const }) },
  {
    weight: 1,
    arbitrary: fc.oneof(
      fc.record({ kind: fc.constant('bad-op' as const), version: fc.constant(0x0111), code: fc.oneof(fc.constantFrom(0, 0x0003, 0x0005, 0x8004, 0x8006, 0xffff), u16) }),
      fc.record({ kind: fc.constant('bad-op' as const), version: fc.oneof(fc.constantFrom(0, 0x0100, 0x0110, 0x1101, 0xffff), u16), code: fc.constantFrom(0x8005, 0x8003) }),
    ),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncated' as const), request: fc.constantFrom('devlist' as const, 'import' as const), keep: fc.nat({ max: 39 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('garbage' as const), bytes: fc.uint8Array({ minLength: 1, maxLength: 100 }) }) },
);

const tailArb: fc.Arbitrary<UsbipTail | null> = fc.oneof(
  { weight: 6, arbitrary: fc.constant(null) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('malformed' as const), header: malformedHeader }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('short-out' as const), declared: fc.oneof(fc.constant(MAX_TRANSFER_LENGTH), fc.integer({ min: 1, max: MAX_TRANSFER_LENGTH })), data: fc.uint8Array({ maxLength: 100 }) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('garbage' as const), bytes: fc.uint8Array({ minLength: 1, maxLength: 200 }) }) },
);

export const usbipScript: fc.Arbitrary<UsbipScript> = fc.record({
  opening: openingArb,
  configure: fc.oneof({ weight: 6, arbitrary: fc.constant(true) }, fc.constant(false)),
  urbs: fc.array(urbCommand, { maxLength: 16 }),
  tail: tailArb,
  cuts: fc.array(fc.nat(), { maxLength: 8 }),
  bytewise: fc.oneof({ weight: 20, arbitrary: fc.constant(false) }, fc.constant(true)),
});

/** A CMD_SUBMIT sent: what its RET_SUBMIT may say. */
export interface SentSubmit {
  readonly kind: 'submit';
  readonly seqnum: number;
  readonly direction: 'in' | 'out';
  readonly endpoint: number;
  /** transfer_buffer_length. */
  readonly length: number;
  /** wLength of a control transfer's setup packet. */
  readonly setupLength?: number;
  /** A descriptor type a successful GET_DESCRIPTOR answer must start with (byte 1). */
  readonly descriptorType?: number;
  /** The endpoint does not exist or the directions disagree: only a STALL (-EPIPE) is right. */
  readonly mustStall: boolean;
  /** Interrupt IN: completes when the device has a report, or never (until unlinked). */
  readonly mayPend: boolean;
}

export interface SentUnlink {
  readonly kind: 'unlink';
  readonly seqnum: number;
  readonly target: number;
}

export type SentCommand = SentSubmit | SentUnlink;

/** The opening's due answer: a device list, a good import, a refusal, a hang-up, nothing, or anything. */
export type OpeningAnswer = 'devlist' | 'imported' | 'refused' | 'closed' | 'none' | 'unknown';

export interface Piece {
  readonly bytes: Uint8Array;
  /** The command these bytes complete, to be answered. */
  readonly command?: SentCommand;
  /** Wait for every answer owed so far before writing: what follows may end the connection. */
  readonly settleFirst: boolean;
}

/**
 * After the last piece: the server must hang up (`server-closes`); every URB is answered or can be
 * unlinked (`open`); the server waits for bytes that never come, answering nothing (`waits`); or
 * nothing can be said (`unknown`).
 */
export type ScriptEnding = 'server-closes' | 'open' | 'waits' | 'unknown';

export interface RenderedScript {
  readonly opening: OpeningAnswer;
  readonly pieces: readonly Piece[];
  readonly ending: ScriptEnding;
  /** What ends the connection or the script, for outcome labels. */
  readonly endingReason: string;
}

/** The bytes of a script, message by message, with what each is owed. */
export function renderScript(script: UsbipScript): RenderedScript {
  const first = renderOpening(script.opening);
  const opening: Piece = { bytes: first.bytes, settleFirst: false };
  if (first.answer === 'none') return { opening: 'none', pieces: [opening], ending: 'waits', endingReason: 'truncated operation' };
  if (first.answer !== 'imported') {
    // The server hangs up after this answer (or what follows is guesswork): send the URBs anyway,
    // as a client that pipelines would; they must change nothing.
    const rest = renderUrbs(script).pieces.map((piece) => ({ bytes: piece.bytes, settleFirst: false }));
    return { opening: first.answer, pieces: [opening, ...rest], ending: first.answer === 'unknown' ? 'unknown' : 'server-closes', endingReason: first.answer };
  }
  const urbs = renderUrbs(script);
  return { opening: 'imported', pieces: [opening, ...urbs.pieces], ending: urbs.ending, endingReason: urbs.endingReason };
}

function renderOpening(opening: UsbipOpening): { bytes: Uint8Array; answer: OpeningAnswer } {
  switch (opening.kind) {
    case 'devlist':
      return { bytes: encodeDevlistRequest(), answer: 'devlist' };
    case 'import': {
      const bytes = encodeImportRequest(opening.busId);
      // The server reads the NUL-terminated field: what was encoded, up to 31 bytes.
      const field = new TextDecoder().decode(bytes.subarray(8, 8 + Math.max(0, bytes.subarray(8).indexOf(0))));
      return { bytes, answer: field === FUZZED_BUS_ID ? 'imported' : 'refused' };
    }
    case 'bad-op': {
      const bytes = encodeDevlistRequest();
      new DataView(bytes.buffer).setUint16(0, opening.version);
      new DataView(bytes.buffer).setUint16(2, opening.code);
      return { bytes, answer: 'closed' };
    }
    case 'truncated': {
      const whole = opening.request === 'devlist' ? encodeDevlistRequest() : encodeImportRequest(FUZZED_BUS_ID);
      return { bytes: whole.subarray(0, opening.keep % whole.length), answer: 'none' };
    }
    case 'garbage':
      return { bytes: opening.bytes, answer: 'unknown' };
  }
}

function renderUrbs({ configure, urbs, tail }: UsbipScript): { pieces: Piece[]; ending: ScriptEnding; endingReason: string } {
  const pieces: Piece[] = [];
  const submits: SentSubmit[] = [];
  let next = 1;
  const latest = new Map<number, SentSubmit>();
  const seqnumFor = (choice: SeqnumChoice) => {
    // Reuse only a seqnum whose last URB completes at once: reusing a pending one is a protocol error.
    const done = [...latest.values()].filter((s) => !s.mayPend);
    return choice === 'fresh' || done.length === 0 ? next++ : done[choice.reuse % done.length]!.seqnum;
  };
  const commands: UrbCommand[] = configure
    ? [{ kind: 'control', setup: [0x00, SET_CONFIGURATION, 1, 0, 0], direction: 'as-setup', length: 'wLength', seqnum: 'fresh', devid: FUZZED_DEVID, noise: null }, ...urbs]
    : [...urbs];
  for (const urb of commands) {
    if (urb.kind === 'unlink') {
      const target = 'seqnum' in urb.target ? urb.target.seqnum : (submits[urb.target.submit % Math.max(1, submits.length)]?.seqnum ?? 0);
      const command: SentUnlink = { kind: 'unlink', seqnum: next++, target };
      pieces.push({ bytes: encodeUnlink({ seqnum: command.seqnum, devid: urb.devid, unlinkSeqnum: target }), command, settleFirst: false });
      continue;
    }
    const seqnum = seqnumFor(urb.seqnum);
    const { bytes, command } = urb.kind === 'control' ? renderControl(urb, seqnum) : renderInterrupt(urb, seqnum);
    if (urb.noise) urb.noise.forEach((value, i) => new DataView(bytes.buffer).setUint32([20, 28, 36][i]!, value));
    submits.push(command);
    latest.set(seqnum, command);
    pieces.push({ bytes, command, settleFirst: false });
  }
  if (!tail) return { pieces, ending: 'open', endingReason: 'URBs' };
  switch (tail.kind) {
    case 'malformed':
      pieces.push({ bytes: malformed(tail.header, next), settleFirst: true });
      return { pieces, ending: 'server-closes', endingReason: `bad ${tail.header.field}` };
    case 'short-out': {
      const header = encodeSubmit({ seqnum: next, devid: FUZZED_DEVID, direction: 'out', endpoint: 1, length: 0, data: new Uint8Array(0) });
      new DataView(header.buffer).setUint32(24, tail.declared);
      pieces.push({ bytes: concat(header, tail.data.subarray(0, tail.declared - 1)), settleFirst: true });
      return { pieces, ending: 'waits', endingReason: 'OUT data short of its length' };
    }
    case 'garbage':
      pieces.push({ bytes: tail.bytes, settleFirst: true });
      return { pieces, ending: 'unknown', endingReason: 'garbage after URBs' };
  }
}

function renderControl(urb: Extract<UrbCommand, { kind: 'control' }>, seqnum: number): { bytes: Uint8Array; command: SentSubmit } {
  const [requestType, request, value, index, wLength] = urb.setup;
  const setup = encodeSetupPacket({ requestType, request, value, index, length: wLength });
  const setupIn = (requestType & 0x80) !== 0;
  const direction = setupIn === (urb.direction === 'as-setup') ? 'in' : 'out';
  // OUT carries wLength bytes of data (a CTAPHID INIT for SET_REPORT); IN offers a buffer.
  const data = direction === 'out' ? outData(wLength) : new Uint8Array(0);
  const length = direction === 'out' ? data.length : urb.length === 'wLength' ? wLength : urb.length;
  const bytes = encodeSubmit({ seqnum, devid: urb.devid, direction, endpoint: 0, length, setup, data });
  const descriptorType = requestType === 0x80 && request === GET_DESCRIPTOR ? value >> 8 : undefined;
  return { bytes, command: { kind: 'submit', seqnum, direction, endpoint: 0, length, setupLength: wLength, descriptorType, mustStall: urb.direction === 'flipped', mayPend: false } };
}

function renderInterrupt(urb: Extract<UrbCommand, { kind: 'interrupt' }>, seqnum: number): { bytes: Uint8Array; command: SentSubmit } {
  const { endpoint, direction } = urb;
  const length = direction === 'out' ? urb.data.length : urb.length;
  const bytes = encodeSubmit({ seqnum, devid: urb.devid, direction, endpoint, length, data: urb.data });
  // Endpoint 0 takes the header's setup bytes (zeros here) as a control request.
  const mustStall = endpoint > 1;
  return { bytes, command: { kind: 'submit', seqnum, direction, endpoint, length, mustStall, mayPend: endpoint === 1 && direction === 'in' } };
}

/** wLength bytes for a control OUT: a CTAPHID allocation for a report-sized stage, else zeros. */
function outData(wLength: number): Uint8Array {
  const data = new Uint8Array(Math.min(wLength, MAX_TRANSFER_LENGTH));
  if (data.length >= 15) data.set([0xff, 0xff, 0xff, 0xff, 0x86, 0, 8, 1, 2, 3, 4, 5, 6, 7, 8]);
  return data;
}

const FIELD_OFFSET: Record<MalformedHeader['field'], number> = { command: 0, direction: 12, endpoint: 16, length: 24, packets: 32 };

function malformed(header: MalformedHeader, seqnum: number): Uint8Array {
  const bytes = encodeSubmit({ seqnum, devid: FUZZED_DEVID, direction: 'in', endpoint: 1, length: 64 });
  new DataView(bytes.buffer).setUint32(FIELD_OFFSET[header.field], header.value);
  return bytes;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
