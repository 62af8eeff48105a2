// FIDO U2F Raw Message Formats v1.2, "Request Message Framing": short and extended APDU layouts.
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { TokenError, encodeResponse, parseApdu, responseStatus, statusWordName, StatusWord } from '../../emulator/token/index.ts';
import { hex } from './helpers.ts';

const H = [0x00, 0x03, 0x01, 0x02];
const wrongLength = (bytes: number[]) => {
  try {
    parseApdu(Uint8Array.from(bytes));
  } catch (error) {
    return error instanceof TokenError && error.code === 'WRONG_LENGTH';
  }
  return false;
};

test('no-data APDUs: header only, short Le, extended Le, extended Lc 0 with Le', () => {
  for (const bytes of [H, [...H, 0x00], [...H, 0x10], [...H, 0, 0, 0], [...H, 0, 0x01, 0x00], [...H, 0, 0, 0, 0, 0]]) {
    const command = parseApdu(Uint8Array.from(bytes));
    assert.equal([command.cla, command.ins, command.p1, command.p2, command.data.length], [0, 3, 1, 2, 0], hex(Uint8Array.from(bytes)));
  }
});

test('short form with and without Le', () => {
  assert.is(hex(parseApdu(Uint8Array.from([...H, 2, 0xaa, 0xbb])).data), 'aabb');
  assert.is(hex(parseApdu(Uint8Array.from([...H, 2, 0xaa, 0xbb, 0x00])).data), 'aabb');
});

test('extended form with and without Le', () => {
  assert.is(hex(parseApdu(Uint8Array.from([...H, 0, 0, 2, 0xaa, 0xbb])).data), 'aabb');
  assert.is(hex(parseApdu(Uint8Array.from([...H, 0, 0, 2, 0xaa, 0xbb, 0, 0])).data), 'aabb');
});

test('length fields that do not match the bytes are WRONG_LENGTH', () => {
  assert.ok(wrongLength([]));
  assert.ok(wrongLength([0, 3, 0]));
  assert.ok(wrongLength([...H, 0, 0])); // extended marker with half a length
  assert.ok(wrongLength([...H, 3, 0xaa, 0xbb])); // short Lc 3, 2 bytes
  assert.ok(wrongLength([...H, 1, 0xaa, 0xbb, 0xcc])); // short Lc 1, 3 bytes
  assert.ok(wrongLength([...H, 0, 0, 3, 0xaa, 0xbb])); // extended Lc 3, 2 bytes
  assert.ok(wrongLength([...H, 0, 0, 1, 0xaa, 0xbb])); // extended Lc 1, one stray byte
  assert.ok(wrongLength([...H, 0, 0, 1, 0xaa, 0, 0, 0])); // extended Lc 1, 3-byte tail
});

test('property: every well-formed encoding of any data parses back to that data', () => {
  fc.assert(
    fc.property(
      fc.uint8Array({ maxLength: 600 }),
      fc.constantFrom('short', 'short+le', 'extended', 'extended+le'),
      (data, form) => {
        if (form.startsWith('short') && (data.length === 0 || data.length > 255)) return;
        const lc = form.startsWith('short') ? [data.length] : [0, data.length >> 8, data.length & 0xff];
        const le = form === 'short+le' ? [0] : form === 'extended+le' ? [0, 0] : [];
        const bytes = Uint8Array.from([...H, ...lc, ...data, ...le]);
        assert.is(hex(parseApdu(bytes).data), hex(data));
      },
    ),
  );
});

test('property: any byte string either parses with data inside it or is WRONG_LENGTH', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
      try {
        const { data } = parseApdu(bytes);
        assert.ok(data.length <= bytes.length - 4);
      } catch (error) {
        assert.instance(error, TokenError);
        assert.is((error as TokenError).code, 'WRONG_LENGTH');
      }
    }),
  );
});

test('responses end in SW1 SW2; status words have names', () => {
  const response = encodeResponse(Uint8Array.of(1, 2), StatusWord.CONDITIONS_NOT_SATISFIED);
  assert.is(hex(response), '01026985');
  assert.is(responseStatus(response), 0x6985);
  assert.is(statusWordName(0x6985), 'CONDITIONS_NOT_SATISFIED');
  assert.is(statusWordName(0x6a80), 'WRONG_DATA');
  assert.is(statusWordName(0x1234), 'SW_1234');
});

test.run();
