// The facts compared per answer, checked on the U2F spec's own examples (FIDO U2F Raw Message
// Formats v1.2, "Examples"), and how two sides' facts become differences.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { authenticateFacts, counterOrder, NO_KEY } from '../../harness/replay/compare-authenticate.ts';
import { registerFacts } from '../../harness/replay/compare-register.ts';
import { describeResponse, emptyMemory } from '../../harness/replay/describe-response.ts';
import { diffFields, Field } from '../../harness/replay/fields.ts';
import { readU2fRequest } from '../../harness/replay/u2f-request.ts';
import { toHex } from '../../harness/util/bytes.ts';
import { authentication as auth, registration as reg } from '../token/fixtures/u2f-spec-examples.ts';
import { authenticateApdu } from './support.ts';

const hex = (value: string) => new Uint8Array(Buffer.from(value, 'hex'));
const regParameters = { challenge: hex(reg.challengeParameter), application: hex(reg.applicationParameter) };
const authParameters = { challenge: hex(auth.challengeParameter), application: hex(auth.applicationParameter) };

test("the spec's registration example: its facts, and the credential it issued", () => {
  const { fields, credential } = registerFacts(hex(reg.responseMessage), regParameters);
  assert.equal(fields, {
    [Field.RESERVED_BYTE]: '0x05',
    [Field.USER_PUBLIC_KEY]: 'uncompressed P-256 point, 65 bytes',
    [Field.KEY_HANDLE_LENGTH]: '64 bytes',
    [Field.ATTESTATION_SUBJECT]: 'CN=PilotGnubby-0.4.1-47901280001155957352',
    [Field.ATTESTATION_SIGNATURE]: 'verifies',
  });
  assert.is(toHex(credential!.keyHandle), reg.keyHandle);
  assert.is(toHex(credential!.publicKey), reg.userPublicKey);
});

test('a registration signature over another challenge does not verify; a cut answer is malformed', () => {
  const other = { ...regParameters, challenge: new Uint8Array(32) };
  assert.is(registerFacts(hex(reg.responseMessage), other).fields[Field.ATTESTATION_SIGNATURE], 'does not verify');
  const cut = registerFacts(hex(reg.responseMessage).subarray(0, 100), regParameters);
  assert.equal(Object.keys(cut.fields), [Field.RESERVED_BYTE, Field.MALFORMED]);
  assert.is(cut.credential, undefined);
});

test("the spec's authentication example: presence, counter order and a verifying signature", () => {
  const publicKey = hex(auth.userPublicKey);
  const facts = authenticateFacts(hex(auth.responseMessage), authParameters, { publicKey });
  assert.equal(facts, {
    fields: { [Field.USER_PRESENCE]: 'set', [Field.COUNTER_ORDER]: 'first in scenario', [Field.SIGNATURE]: 'verifies' },
    counter: 1,
  });
  assert.is(authenticateFacts(hex(auth.responseMessage), authParameters, { publicKey, lastCounter: 1 }).fields[Field.COUNTER_ORDER], 'repeated');
  assert.is(authenticateFacts(hex(auth.responseMessage), authParameters, { publicKey: hex(reg.userPublicKey) }).fields[Field.SIGNATURE], 'does not verify');
  assert.is(authenticateFacts(hex(auth.responseMessage), authParameters, {}).fields[Field.SIGNATURE], NO_KEY);
  assert.equal(authenticateFacts(Uint8Array.of(1, 0, 0), authParameters, { publicKey }).fields, { [Field.MALFORMED]: 'authenticate response: expected at least 6 bytes, got 3' });
});

test('counters compare by order, never by value', () => {
  assert.equal([counterOrder(undefined, 7), counterOrder(7, 8), counterOrder(7, 700), counterOrder(7, 7), counterOrder(7, 3)], [
    'first in scenario', 'increased', 'increased', 'repeated', 'decreased',
  ]);
});

test('answers become facts by instruction; the side remembers its own credentials', () => {
  const memory = emptyMemory();
  const version = readU2fRequest(Uint8Array.of(0, 3, 0, 0, 0, 0, 0));
  assert.equal(describeResponse(version, { kind: 'response', bytes: hex('5532465f56329000') }, memory).fields, {
    [Field.STATUS_WORD]: '9000 NO_ERROR',
    [Field.VERSION]: '"U2F_V2"',
  });
  assert.equal(describeResponse(version, { kind: 'response', bytes: hex('6d00') }, memory).fields, { [Field.STATUS_WORD]: '6D00 INS_NOT_SUPPORTED' });
  assert.equal(describeResponse(version, { kind: 'response', bytes: hex('90') }, memory).fields, { [Field.STATUS_WORD]: 'no status word: 1-byte response' });
  assert.equal(describeResponse(version, { kind: 'none', reason: 'none recorded' }, memory).fields, { [Field.STATUS_WORD]: 'no answer: none recorded' });
  const unknown = readU2fRequest(Uint8Array.of(0, 0x40, 0, 0));
  assert.equal(describeResponse(unknown, { kind: 'response', bytes: hex('0102039000') }, memory).fields, {
    [Field.STATUS_WORD]: '9000 NO_ERROR',
    [Field.RESPONSE_LENGTH]: '3 bytes',
  });

  memory.credentials.set(auth.keyHandle, hex(auth.userPublicKey));
  const signing = readU2fRequest(authenticateApdu(hex(auth.keyHandle)));
  const request = signing.kind === 'authenticate' ? { ...signing, ...authParameters } : signing;
  const described = describeResponse(request, { kind: 'response', bytes: hex(`${auth.responseMessage}9000`) }, memory);
  assert.is(described.fields[Field.SIGNATURE], 'verifies');
  assert.is(described.counter, 1);
});

test('differences: a differing status word stands alone; otherwise every differing field, absent ones named', () => {
  const ok = { [Field.STATUS_WORD]: '9000 NO_ERROR', [Field.SIGNATURE]: 'verifies', [Field.USER_PRESENCE]: 'set' };
  assert.equal(diffFields(ok, { ...ok }), []);
  assert.equal(diffFields(ok, { [Field.STATUS_WORD]: '6A80 WRONG_DATA' }), [
    { field: Field.STATUS_WORD, recorded: '9000 NO_ERROR', replayed: '6A80 WRONG_DATA' },
  ]);
  assert.equal(diffFields(ok, { ...ok, [Field.SIGNATURE]: 'does not verify', [Field.MALFORMED]: 'x' }), [
    { field: Field.SIGNATURE, recorded: 'verifies', replayed: 'does not verify' },
    { field: Field.MALFORMED, recorded: '(absent)', replayed: 'x' },
  ]);
});

test.run();
