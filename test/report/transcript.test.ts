// Transcript lines decoded into fields, on a recorded fixture (faulty profile: VERSION answers
// 6D00) and a hand-written one (HTTP, a malformed APDU, a bad and a truncated line): CTAPHID
// CID/CMD/BCNT/SEQ with payload and padding told apart, APDU CLA/INS/P1/P2/Lc/data/Le and
// SW, REGISTER and AUTHENTICATE responses, HTTP method, URL and status.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decodeTranscript, type DecodedLine } from '../../harness/report/decode-transcript.ts';
import { readTranscript, scenarioExcerpt, type Transcript } from '../../harness/report/read-transcript.ts';
import type { ScenarioReport } from '../../harness/report/model.ts';

const recorded = (await readTranscript('test/report/fixtures/faulty-transcript.jsonl'))!;
const handWritten = (await readTranscript('test/report/fixtures/iam-transcript.jsonl'))!;
const decoded = decodeTranscript(recorded.lines);

function fields(line: DecodedLine): Record<string, string> {
  return Object.fromEntries(line.decoded.fields.map((field) => [field.name, field.value]));
}

function segments(line: DecodedLine): Array<[string, number]> {
  return line.decoded.segments.map((segment) => [segment.field, segment.hex.length / 2]);
}

const at = (lineNumber: number) => decoded.find((line) => line.line === lineNumber)!;

test('a CTAPHID_INIT request: CID, CMD, BCNT, the nonce, and the zero padding after it', () => {
  assert.equal(fields(at(1)), { CID: '0xffffffff', CMD: 'INIT', BCNT: '8', nonce: '95c5b06c163af46f' });
  assert.equal(segments(at(1)), [['CID', 4], ['CMD', 1], ['BCNT', 2], ['data', 8], ['padding', 49]]);
});

test('a CTAPHID_INIT response: the new channel, protocol and device versions, capability flags', () => {
  assert.equal(fields(at(2)), { CID: '0xffffffff', CMD: 'INIT', BCNT: '17', 'new CID': '0x7fa21c09', protocol: '2', 'device version': '1.0.0', capabilities: 'WINK' });
  assert.ok(at(2).decoded.fields.filter((field) => field.stable).every((field) => ['CMD', 'protocol', 'device version', 'capabilities'].includes(field.name)));
});

test("a continuation packet's data ends where its message's BCNT says, the rest is padding", () => {
  // MSG with BCNT 73: 57 bytes in the init packet, 16 in the first continuation.
  assert.equal(fields(at(9)), { CID: '0xdbc0ad04', CMD: 'MSG', BCNT: '73' });
  assert.equal(segments(at(10)), [['CID', 4], ['SEQ', 1], ['data', 16], ['padding', 43]]);
  assert.is(fields(at(10)).SEQ, '0');
});

test('command APDUs: header fields by name and the extended Lc, data and Le', () => {
  assert.equal(fields(at(11)), { CLA: '0x00', INS: 'REGISTER', P1: '0x03', P2: '0x00', Lc: '64' });
  assert.equal(segments(at(11)), [['CLA', 1], ['INS', 1], ['P1', 1], ['P2', 1], ['Lc', 3], ['data', 64], ['Le', 2]]);
  assert.equal(segments(at(4)), [['CLA', 1], ['INS', 1], ['P1', 1], ['P2', 1], ['Lc/Le', 5]]);
});

test('response APDUs: the status word by name; VERSION, REGISTER and AUTHENTICATE data decoded', () => {
  assert.is(at(6).decoded.message, 'VERSION response');
  assert.equal(fields(at(6)), { SW: '6D00 INS_NOT_SUPPORTED', 'data length': '0' });
  const register = at(24);
  assert.is(register.decoded.message, 'REGISTER response');
  assert.equal(fields(register), { SW: '9000 NO_ERROR', 'data length': '695', reserved: '0x05', 'key handle length': '60', 'certificate length': '498', 'signature length': '70' });
  assert.equal(segments(register).map(([name]) => name), ['reserved', 'public key', 'L', 'key handle', 'certificate', 'signature', 'SW']);
  assert.is(segments(register).reduce((sum, [, length]) => sum + length, 0), register.entry.hex!.length / 2);
  const authenticate = fields(at(31));
  assert.is(at(31).decoded.message, 'AUTHENTICATE response');
  assert.is(authenticate.SW, '9000 NO_ERROR');
  assert.is(authenticate['user presence'], 'yes');
  assert.match(authenticate.counter, /^\d+$/);
  // A counter differs from key to key; the comparison must not report it.
  assert.not.ok(at(31).decoded.fields.find((field) => field.name === 'counter')!.stable);
});

test('HTTP lines, malformed APDUs, and lines that are not transcript entries', () => {
  assert.is(handWritten.lines.length, 3);
  assert.is(handWritten.unreadable, 2);
  const [request, response, apdu] = decodeTranscript(handWritten.lines);
  assert.equal(fields(request), { method: 'POST', URL: 'http://127.0.0.1:4566/' });
  assert.equal(fields(response), { status: '403' });
  assert.is(apdu.decoded.message, 'VERSION');
  assert.match(apdu.decoded.problem ?? '', /short Lc 5/);
});

test('oversized and short HID reports are shown with the problem named', () => {
  const lines = decodeTranscript([
    { line: 1, entry: { t: 0, scenario: 's', kind: 'hid', dir: 'out', hex: '00'.repeat(65), summary: '' } },
    { line: 2, entry: { t: 0, scenario: 's', kind: 'hid', dir: 'in', hex: 'ffffffff860000', summary: '' } },
  ]);
  assert.match(lines[0].decoded.problem ?? '', /65 bytes, a HID report has 64/);
  assert.match(lines[1].decoded.problem ?? '', /7 bytes, zero-padded to 64/);
  assert.is(fields(lines[1]).CMD, 'INIT');
});

test("a scenario's excerpt: its recorded line range, or without one every line carrying its id", () => {
  const transcripts = new Map<string, Transcript>([['transcript.jsonl', recorded]]);
  const scenario = { id: 'u2f.version', transcript: undefined } as unknown as ScenarioReport;
  assert.equal(scenarioExcerpt(transcripts, scenario).map((line) => line.line), [1, 2, 3, 4, 5, 6]);
  const ranged = { id: 'u2f.version', transcript: { file: 'transcript.jsonl', from: 3, to: 4 } } as unknown as ScenarioReport;
  assert.equal(scenarioExcerpt(transcripts, ranged).map((line) => line.line), [3, 4]);
  const elsewhere = { id: 'u2f.version', transcript: { file: 'other.jsonl', from: 1, to: 4 } } as unknown as ScenarioReport;
  assert.equal(scenarioExcerpt(transcripts, elsewhere), []);
});

test.run();
