// The WebAuthn client's encoders without a token: clientDataJSON bytes (§5.8.1.1), base64url,
// COSE key, authenticator data and attestation object layouts, and the browser's origin rules.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Decoder } from 'cbor-x';
import {
  ccdToString,
  coseKeyFromU2fPublicKey,
  encodeAttestationObject,
  encodeAttestedCredentialData,
  encodeAuthenticatorData,
  fromBase64url,
  isRegistrableSuffixOrEqual,
  resolveRpId,
  serializeClientData,
  toBase64url,
  unsafeRpId,
  WebAuthnError,
} from '../../harness/webauthn/index.ts';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const X = new Uint8Array(32).fill(0xaa);
const Y = new Uint8Array(32).fill(0xbb);
const POINT = new Uint8Array([0x04, ...X, ...Y]);

test('clientDataJSON: fixed key order, no whitespace, crossOrigin false', () => {
  const json = new TextDecoder().decode(serializeClientData({ type: 'webauthn.get', challenge: 'AAEC', origin: 'https://a.example', crossOrigin: false }));
  assert.is(json, '{"type":"webauthn.get","challenge":"AAEC","origin":"https://a.example","crossOrigin":false}');
});

test('CCDToString escapes only quote, backslash and controls (as \\u00xx), unlike JSON.stringify', () => {
  assert.is(ccdToString('a"b\\c'), '"a\\"b\\\\c"');
  assert.is(ccdToString('\n\t\u001f'), '"\\u000a\\u0009\\u001f"');
  assert.is(ccdToString('é/\u007f'), '"é/\u007f"');
  // Still valid JSON that reads back to the same string.
  assert.is(JSON.parse(ccdToString('x"\\\n\u0000y')), 'x"\\\n\u0000y');
});

test('base64url: unpadded output; strict input (padding tolerated)', () => {
  assert.is(toBase64url(new Uint8Array([0xfb, 0xff])), '-_8');
  assert.equal([...fromBase64url('-_8', 'x')], [0xfb, 0xff]);
  assert.equal([...fromBase64url('-_8=', 'x')], [0xfb, 0xff]);
  for (const bad of ['+/8', 'ab c', 'a', 'ab=c', 'abcde']) {
    assert.throws(() => fromBase64url(bad, 'x'), (error: unknown) => error instanceof TypeError, bad);
  }
});

test('COSE key from a U2F point: canonical CBOR {1:2, 3:-7, -1:1, -2:x, -3:y}', () => {
  assert.is(hex(coseKeyFromU2fPublicKey(POINT)), `a5010203262001215820${hex(X)}225820${hex(Y)}`);
  assert.throws(() => coseKeyFromU2fPublicKey(POINT.subarray(1)), RangeError);
  assert.throws(() => coseKeyFromU2fPublicKey(new Uint8Array([0x02, ...X, ...Y])), RangeError);
});

test('authenticator data: rpIdHash || flags || big-endian counter || attested credential data', () => {
  const rpIdHash = new Uint8Array(32).fill(1);
  assert.is(hex(encodeAuthenticatorData({ rpIdHash, flags: 0x01, counter: 0x01020304 })), `${'01'.repeat(32)}0101020304`);
  const attested = encodeAttestedCredentialData({ credentialId: new Uint8Array([9, 9, 9]), credentialPublicKey: new Uint8Array([0xa0]) });
  assert.is(hex(attested), `${'00'.repeat(16)}0003090909a0`);
  const full = encodeAuthenticatorData({ rpIdHash, flags: 0x41, counter: 0, attestedCredentialData: attested });
  assert.is(full.length, 37 + attested.length);
  assert.throws(() => encodeAuthenticatorData({ rpIdHash: rpIdHash.subarray(1), flags: 1, counter: 0 }), RangeError);
  assert.throws(() => encodeAuthenticatorData({ rpIdHash, flags: 0x100, counter: 0 }), RangeError);
  assert.throws(() => encodeAuthenticatorData({ rpIdHash, flags: 1, counter: 2 ** 32 }), RangeError);
});

test('attestation object: canonical map fmt, attStmt {sig, x5c}, authData; "none" has an empty attStmt', () => {
  const authData = new Uint8Array([1, 2]);
  const u2f = encodeAttestationObject({ fmt: 'fido-u2f', authData, signature: new Uint8Array([3]), certificate: new Uint8Array([4]) });
  // a3 "fmt" "fido-u2f" "attStmt" a2 "sig" h'03' "x5c" [h'04'] "authData" h'0102'
  assert.is(hex(u2f), 'a363666d74686669646f2d7532666761747453746d74a263736967410363783563814104686175746844617461420102');
  const decoded = new Decoder({ mapsAsObjects: true, useRecords: false }).decode(u2f);
  assert.equal(Object.keys(decoded), ['fmt', 'attStmt', 'authData']);
  const none = encodeAttestationObject({ fmt: 'none', authData });
  // a3 "fmt" "none" "attStmt" {} "authData" h'0102'
  assert.is(hex(none), 'a363666d74646e6f6e656761747453746d74a0686175746844617461420102');
});

test('origin and rp id: equal or registrable suffix, secure contexts only, no IP addresses', () => {
  const check = (origin: string, rpId?: string) => {
    try {
      return resolveRpId({ origin, rpId });
    } catch (error) {
      if (error instanceof WebAuthnError) return `${error.name}:${error.reason}`;
      throw error;
    }
  };
  assert.equal(check('https://keyloop.example'), { rpId: 'keyloop.example', origin: 'https://keyloop.example' });
  assert.equal(check('https://login.keyloop.example/path?q', 'keyloop.example'), { rpId: 'keyloop.example', origin: 'https://login.keyloop.example' });
  assert.equal(check('https://keyloop.example:8443', 'keyloop.example'), { rpId: 'keyloop.example', origin: 'https://keyloop.example:8443' });
  assert.equal(check('http://localhost:3000'), { rpId: 'localhost', origin: 'http://localhost:3000' });
  assert.is(check('https://evil.example', 'keyloop.example'), 'SecurityError:rp-id-mismatch');
  assert.is(check('https://xkeyloop.example', 'keyloop.example'), 'SecurityError:rp-id-mismatch');
  assert.is(check('https://keyloop.example', 'login.keyloop.example'), 'SecurityError:rp-id-mismatch');
  assert.is(check('https://keyloop.example', 'example'), 'SecurityError:rp-id-mismatch');
  assert.is(check('http://keyloop.example'), 'SecurityError:insecure-origin');
  assert.is(check('https://127.0.0.1'), 'SecurityError:invalid-domain');
  assert.is(check('https://[::1]'), 'SecurityError:invalid-domain');
  assert.ok(isRegistrableSuffixOrEqual('a.b', 'x.a.b'));
  assert.ok(!isRegistrableSuffixOrEqual('', 'x.a.b'));
  assert.throws(() => resolveRpId({ origin: 'not a url' }), TypeError);
  // The escape hatch for negative scenarios: no checks, origin verbatim.
  assert.equal(unsafeRpId({ origin: 'https://evil.example/', rpId: 'keyloop.example' }), { rpId: 'keyloop.example', origin: 'https://evil.example/' });
});

test.run();
