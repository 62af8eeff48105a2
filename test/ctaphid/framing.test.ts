// CTAPHID framing (CTAP 2.1 section 11.2.4): fragmentation, parsing, reassembly.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import {
  CONT_DATA_SIZE,
  CtaphidCommand,
  CtaphidError,
  HID_REPORT_SIZE,
  INIT_DATA_SIZE,
  MAX_MESSAGE_SIZE,
  commandName,
  errorName,
} from '../../emulator/ctaphid/constants.ts';
import { MessageAssembler, describeReport, fragmentMessage, normalizeReport, parsePacket } from '../../emulator/ctaphid/framing.ts';
import type { InitPacket } from '../../emulator/ctaphid/framing.ts';
import { REPORT_SIZE } from '../../harness/transports/report-transport.ts';
import { decodeMessages } from './helpers.ts';

const CID = 0x0a0b0c0d;

function reassemble(reports: Uint8Array[]): Uint8Array {
  const [first, ...rest] = reports.map(parsePacket);
  assert.is(first.type, 'init');
  const assembler = new MessageAssembler(first as InitPacket);
  for (const packet of rest) {
    assert.is(packet.type, 'continuation');
    assert.is.not(assembler.complete, true);
    assembler.accept(packet as Exclude<typeof packet, InitPacket>);
  }
  assert.ok(assembler.complete);
  return assembler.payload;
}

test('spec sizes: 57 + 128 * 59 = 7609, host and device agree on the report size', () => {
  assert.is(MAX_MESSAGE_SIZE, 7609);
  assert.is(INIT_DATA_SIZE, 57);
  assert.is(CONT_DATA_SIZE, 59);
  assert.is(HID_REPORT_SIZE, REPORT_SIZE);
});

test('every payload size 0..7609 fragments into the expected reports and reassembles', () => {
  const source = Uint8Array.from({ length: MAX_MESSAGE_SIZE }, (_, i) => (i * 31 + 7) & 0xff);
  for (let size = 0; size <= MAX_MESSAGE_SIZE; size++) {
    const payload = source.subarray(0, size);
    const reports = fragmentMessage(CID, CtaphidCommand.PING, payload);
    const expected = size <= INIT_DATA_SIZE ? 1 : 1 + Math.ceil((size - INIT_DATA_SIZE) / CONT_DATA_SIZE);
    if (reports.length !== expected || reports.some((r) => r.length !== 64)) {
      assert.unreachable(`size ${size}: ${reports.length} reports, expected ${expected}`);
    }
    const back = reassemble(reports);
    if (Buffer.compare(back, payload) !== 0) assert.unreachable(`size ${size}: payload differs`);
  }
});

test('boundaries match an independent decoder, byte for byte', () => {
  for (const size of [0, 1, 56, 57, 58, 115, 116, 117, 175, 176, 7550, 7551, 7608, 7609]) {
    const payload = Uint8Array.from({ length: size }, (_, i) => i & 0xff);
    const reports = fragmentMessage(CID, CtaphidCommand.MSG, payload);
    const [message] = decodeMessages(reports);
    assert.equal(message, { cid: CID, command: CtaphidCommand.MSG, payload }, `size ${size}`);
    // Header bytes as the spec lays them out; padding is zero.
    assert.equal([...reports[0].subarray(0, 7)], [0x0a, 0x0b, 0x0c, 0x0d, 0x83, size >> 8, size & 0xff]);
    reports.slice(1).forEach((r, seq) => assert.is(r[4], seq));
    const last = reports[reports.length - 1];
    const used = size <= 57 ? 7 + size : 5 + ((size - 57) % 59 || 59);
    assert.ok(last.subarray(used).every((b) => b === 0), `size ${size}: padding`);
  }
});

test('fast-check: random payloads and CIDs round-trip', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: MAX_MESSAGE_SIZE }), fc.integer({ min: 1, max: 0xffffffff }), (payload, cid) => {
      const reports = fragmentMessage(cid, CtaphidCommand.MSG, payload);
      const packet = parsePacket(reports[0]);
      return packet.cid === cid && Buffer.compare(reassemble(reports), payload) === 0;
    }),
    { numRuns: 200 },
  );
});

test('BCNT 7610 is rejected by fragmentMessage and by MessageAssembler', () => {
  assert.throws(() => fragmentMessage(CID, CtaphidCommand.PING, new Uint8Array(MAX_MESSAGE_SIZE + 1)), RangeError);
  const report = fragmentMessage(CID, CtaphidCommand.PING, new Uint8Array(1))[0];
  report[5] = (MAX_MESSAGE_SIZE + 1) >> 8;
  report[6] = (MAX_MESSAGE_SIZE + 1) & 0xff;
  const packet = parsePacket(report) as InitPacket;
  assert.is(packet.length, 7610);
  assert.throws(() => new MessageAssembler(packet), RangeError);
});

test('assembler reports a skipped or repeated SEQ', () => {
  const reports = fragmentMessage(CID, CtaphidCommand.PING, new Uint8Array(200));
  const packets = reports.map(parsePacket);
  const skip = new MessageAssembler(packets[0] as InitPacket);
  assert.is(skip.accept(packets[2] as never), 'invalid-seq');
  const repeat = new MessageAssembler(packets[0] as InitPacket);
  assert.is(repeat.accept(packets[1] as never), 'incomplete');
  assert.is(repeat.accept(packets[1] as never), 'invalid-seq');
  assert.throws(() => repeat.payload);
});

test('parsePacket checks the size; normalizeReport pads short reports and refuses long ones', () => {
  assert.throws(() => parsePacket(new Uint8Array(63)), RangeError);
  assert.throws(() => parsePacket(new Uint8Array(65)), RangeError);
  const padded = normalizeReport(Uint8Array.of(0, 0, 0, 1, 0x81, 0, 1, 0x42));
  assert.is(padded?.length, 64);
  assert.equal(parsePacket(padded!), { type: 'init', cid: 1, command: 1, length: 1, data: padded!.subarray(7) });
  assert.is(normalizeReport(new Uint8Array(65)), undefined);
});

test('names: commands and errors by the spec, unknown codes in hex', () => {
  assert.is(commandName(CtaphidCommand.KEEPALIVE), 'KEEPALIVE');
  assert.is(commandName(0x42), '0x42');
  assert.is(errorName(CtaphidError.CHANNEL_BUSY), 'ERR_CHANNEL_BUSY');
  assert.is(errorName(0x33), '0x33');
  const [error] = fragmentMessage(CID, CtaphidCommand.ERROR, Uint8Array.of(CtaphidError.INVALID_SEQ));
  assert.is(describeReport(error), 'ERROR cid=0x0a0b0c0d bcnt=1 ERR_INVALID_SEQ');
  assert.is(describeReport(fragmentMessage(CID, 1, new Uint8Array(60))[1]), 'CONT cid=0x0a0b0c0d seq=0');
});

test.run();
