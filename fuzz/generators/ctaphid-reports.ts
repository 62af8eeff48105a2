// CTAPHID report sequences (CTAP 2.1 sections 11.2.4 and 11.2.9) for the device's property tests
// and the ctaphid-reports fuzz target: init and continuation packets aimed at live channels, whole
// and mangled messages, channel allocations, INIT floods, pauses and garbage. Message payloads are
// generic (raw bytes in the property tests, U2F APDUs in the fuzzer) and encoded when rendered.
import fc from 'fast-check';
import { BROADCAST_CID, CtaphidCommand, MAX_MESSAGE_SIZE } from '../../emulator/ctaphid/constants.ts';
import { fragmentMessage } from '../../emulator/ctaphid/framing.ts';
import { boundaryU16 } from './byte-mutations.ts';

const { PING, MSG, LOCK, INIT, WINK, CANCEL, CBOR, KEEPALIVE, ERROR } = CtaphidCommand;

/** The nonce of every generated CTAPHID_INIT. */
export const INIT_NONCE = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8);

/** A device's random source that allocates CIDs 0x00000001, 0x00000002, ... */
export function counterRandom(): (n: number) => Uint8Array {
  let next = 0;
  return (n) => {
    next++;
    const bytes = new Uint8Array(n);
    new DataView(bytes.buffer).setUint32(0, next);
    return bytes;
  };
}

/** A multi-packet message with one continuation packet dropped, repeated or moved (indices modulo). */
export interface Mangle {
  readonly how: 'drop' | 'repeat' | 'move';
  readonly from: number;
  readonly to: number;
}

/** One step of a host: its reports are fed back to back; with `settle` the host then waits for answers. */
export type CtaphidStep<P> =
  | { readonly kind: 'report'; readonly report: Uint8Array; readonly settle: boolean }
  | { readonly kind: 'message'; readonly cid: number; readonly command: number; readonly payload: P; readonly mangle: Mangle | null; readonly settle: boolean }
  | { readonly kind: 'allocate'; readonly settle: boolean }
  | { readonly kind: 'flood'; readonly count: number; readonly settle: boolean }
  | { readonly kind: 'pause'; readonly ms: number; readonly settle: boolean };

export interface CtaphidStepOptions<P> {
  /** Payloads of whole messages (MSG mostly); INIT always carries INIT_NONCE. */
  payload: fc.Arbitrary<P>;
  /** Include INIT floods of up to this many broadcast allocations in a row (0: none). */
  maxFlood?: number;
  /** Include pauses of this long, to let message timeouts fire (0: none). */
  pauseMs?: number;
}

// With counterRandom the device allocates 1, 2, 3, ...: aim mostly at those, and at the reserved and unknown CIDs.
export const cidArb = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 1, max: 4 }) },
  { weight: 2, arbitrary: fc.constantFrom(0, BROADCAST_CID) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 0xffffffff }) },
);
const commandArb = fc.oneof(
  { weight: 4, arbitrary: fc.constant(MSG) },
  { weight: 4, arbitrary: fc.constantFrom(PING, LOCK, INIT, WINK, CANCEL, CBOR, KEEPALIVE, ERROR) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 0x7f }) },
);
const lengthArb = fc.oneof(
  fc.integer({ min: 0, max: 130 }),
  fc.constantFrom(8, MAX_MESSAGE_SIZE, MAX_MESSAGE_SIZE + 1),
  boundaryU16,
  fc.integer({ min: 0, max: 0xffff }),
);

function report(header: number[], data: Uint8Array): Uint8Array {
  const r = new Uint8Array(64);
  r.set(header);
  r.set(data.subarray(0, 64 - header.length), header.length);
  return r;
}
const be32 = (n: number) => [n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];

/** One hand-made init packet: any CID, command and announced length (BCNT), with some data. */
export const initPacket = fc
  .tuple(cidArb, commandArb, lengthArb, fc.uint8Array({ maxLength: 57 }))
  .map(([cid, cmd, length, data]) => report([...be32(cid), 0x80 | cmd, length >> 8, length & 0xff], data));
/** One hand-made continuation packet, mostly with a low SEQ. */
export const continuationPacket = fc
  .tuple(cidArb, fc.oneof(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 0x7f })), fc.uint8Array({ maxLength: 59 }))
  .map(([cid, seq, data]) => report([...be32(cid), seq], data));
/** Any bytes at all, shorter or longer than a report too. */
export const garbageReport = fc.uint8Array({ maxLength: 80 });

const mangle: fc.Arbitrary<Mangle | null> = fc.oneof(
  { weight: 3, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.record({ how: fc.constantFrom<Mangle['how']>('drop', 'repeat', 'move'), from: fc.nat(), to: fc.nat() }) },
);

export function ctaphidStep<P>({ payload, maxFlood = 0, pauseMs = 0 }: CtaphidStepOptions<P>): fc.Arbitrary<CtaphidStep<P>> {
  const settle = fc.boolean();
  const kinds: Array<fc.WeightedArbitrary<CtaphidStep<P>>> = [
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('report' as const), report: fc.oneof(initPacket, continuationPacket, garbageReport), settle }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('message' as const), cid: cidArb, command: commandArb, payload, mangle, settle }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('allocate' as const), settle }) },
  ];
  if (maxFlood > 0) kinds.push({ weight: 1, arbitrary: fc.record({ kind: fc.constant('flood' as const), count: fc.integer({ min: 2, max: maxFlood }), settle }) });
  if (pauseMs > 0) kinds.push({ weight: 1, arbitrary: fc.record({ kind: fc.constant('pause' as const), ms: fc.constant(pauseMs), settle: fc.constant(true) }) });
  return fc.oneof(...kinds);
}

/** The reports a step feeds to the device; `encode` turns a payload into bytes. */
export function stepReports<P>(step: CtaphidStep<P>, encode: (payload: P) => Uint8Array): Uint8Array[] {
  switch (step.kind) {
    case 'report':
      return [step.report];
    case 'allocate':
      return fragmentMessage(BROADCAST_CID, INIT, INIT_NONCE);
    case 'flood':
      return Array.from({ length: step.count }, () => fragmentMessage(BROADCAST_CID, INIT, INIT_NONCE)[0]!);
    case 'pause':
      return [];
    case 'message': {
      const payload = step.command === INIT ? INIT_NONCE : encode(step.payload).subarray(0, MAX_MESSAGE_SIZE);
      return mangled(fragmentMessage(step.cid, step.command, payload), step.mangle);
    }
  }
}

function mangled(reports: Uint8Array[], how: Mangle | null): Uint8Array[] {
  if (!how || reports.length < 2) return reports;
  const from = 1 + (how.from % (reports.length - 1));
  const to = 1 + (how.to % (reports.length - 1));
  if (how.how === 'drop') reports.splice(from, 1);
  if (how.how === 'repeat') reports.splice(to, 0, reports[from]!);
  if (how.how === 'move') reports.splice(to, 0, ...reports.splice(from, 1));
  return reports;
}

/** A broadcast CTAPHID_INIT report: counts the allocations a sequence may have made. */
export function isAllocation(report: Uint8Array): boolean {
  return report.length >= 5 && report[0] === 0xff && report[1] === 0xff && report[2] === 0xff && report[3] === 0xff && report[4] === (0x80 | INIT);
}
