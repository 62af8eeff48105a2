// Key handle substitution: the target's handle replaces the recorded one in AUTHENTICATE
// commands, in place when the lengths match (keeping short-form encodings), re-encoded otherwise.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseApdu, parseAuthenticateRequest } from '../../emulator/token/index.ts';
import { substituteKeyHandle } from '../../harness/replay/key-handle-map.ts';
import { commandLabel, readU2fRequest } from '../../harness/replay/u2f-request.ts';
import { toHex } from '../../harness/util/bytes.ts';
import { authenticateApdu, registerApdu } from './support.ts';

const RECORDED = new Uint8Array(64).fill(0xaa);
const TARGET = new Uint8Array(64).fill(0xbb);
const handles = new Map([[toHex(RECORDED), TARGET]]);

test('a recorded key handle is replaced in place, everything else kept', () => {
  const command = authenticateApdu(RECORDED, { p1: 0x07 });
  const { command: sent, substituted } = substituteKeyHandle(command, handles);
  assert.ok(substituted);
  const at = 7 + 65;
  assert.is(toHex(sent), toHex(command).replace(toHex(RECORDED), toHex(TARGET)), 'only the key handle changed');
  assert.is(toHex(sent.subarray(at, at + 64)), toHex(TARGET));
  assert.is(toHex(command.subarray(at, at + 64)), toHex(RECORDED), 'the recorded command is not modified');
});

test('a short-form AUTHENTICATE keeps its encoding', () => {
  const data = authenticateApdu(RECORDED).subarray(7, -2);
  const short = new Uint8Array([0x00, 0x02, 0x03, 0x00, data.length, ...data, 0x00]);
  const { command: sent } = substituteKeyHandle(short, handles);
  assert.is(sent.length, short.length);
  assert.is(toHex(parseAuthenticateRequest(parseApdu(sent).data).keyHandle), toHex(TARGET));
});

test('a target handle of another length re-encodes the APDU with the new length', () => {
  const longer = new Uint8Array(80).fill(0xcc);
  const { command: sent, substituted } = substituteKeyHandle(authenticateApdu(RECORDED), new Map([[toHex(RECORDED), longer]]));
  assert.ok(substituted);
  const apdu = parseApdu(sent);
  assert.equal([apdu.cla, apdu.ins, apdu.p1], [0x00, 0x02, 0x03]);
  const request = parseAuthenticateRequest(apdu.data);
  assert.is(toHex(request.keyHandle), toHex(longer));
  assert.is(toHex(request.challenge), '01'.repeat(32));
});

test('unknown handles, other instructions and malformed commands are sent as recorded', () => {
  const foreign = authenticateApdu(new Uint8Array(64).fill(0x11));
  for (const command of [foreign, registerApdu(), authenticateApdu(RECORDED).subarray(0, 40), Uint8Array.of(0x80, 0x02, 0x03, 0x00)]) {
    const result = substituteKeyHandle(command, handles);
    assert.is(result.command, command);
    assert.is(result.substituted, false);
  }
});

test('requests are read for what comparison needs; malformed ones are other', () => {
  assert.is(readU2fRequest(Uint8Array.of(0, 3, 0, 0, 0)).kind, 'version', 'short-form VERSION');
  assert.is(readU2fRequest(Uint8Array.of(0, 3, 0, 0, 0, 0, 1, 0x42)).kind, 'other', 'VERSION with data');
  assert.is(readU2fRequest(Uint8Array.of(0x80, 3, 0, 0)).kind, 'other', 'CLA 80');
  assert.is(readU2fRequest(Uint8Array.of(0, 1)).kind, 'other', 'shorter than a header');
  const request = readU2fRequest(authenticateApdu(RECORDED, { p1: 0x08 }));
  assert.is(request.kind, 'authenticate');
  if (request.kind === 'authenticate') {
    assert.is(request.control, 0x08);
    assert.is(request.keyHandleOffset, 7 + 65);
  }
  assert.equal(
    [registerApdu(), authenticateApdu(RECORDED), Uint8Array.of(0x80, 3, 0, 0), Uint8Array.of(0, 0xc0, 0, 0), Uint8Array.of(0)].map(commandLabel),
    ['REGISTER', 'AUTHENTICATE P1 03', 'VERSION CLA 80', 'INS_C0', 'short APDU (1 bytes)'],
  );
});

test.run();
