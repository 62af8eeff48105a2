// One scenario compared step by step without I/O: two in-memory tokens with different device
// secrets (so different key handles and keys) answer alike; a token with corrupted signatures
// differs in exactly the signature field.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { withFaults } from '../../emulator/faults/index.ts';
import { loadProfile, U2fToken } from '../../emulator/token/index.ts';
import type { RecordedStep } from '../../harness/replay/collapse-retries.ts';
import { Field } from '../../harness/replay/fields.ts';
import { ScenarioComparison } from '../../harness/replay/scenario-comparison.ts';
import { parseRegisterResponse } from '../../harness/u2f/responses.ts';
import { splitResponse } from '../../harness/u2f/apdu.ts';
import { authenticateApdu, registerApdu } from './support.ts';

interface Answering {
  process(apdu: Uint8Array): Promise<Uint8Array>;
}

/** REGISTER, two AUTHENTICATEs and a check-only, as token `recorder` answered them. */
async function recordScenario(recorder: Answering): Promise<RecordedStep[]> {
  const steps: RecordedStep[] = [];
  const send = async (command: Uint8Array) => {
    const response = await recorder.process(command);
    const line = steps.length * 2 + 1;
    steps.push({ command, response, attempts: 1, durationMs: 2, lines: { from: line, to: line + 1 } });
    return response;
  };
  const { keyHandle } = parseRegisterResponse(splitResponse(await send(registerApdu())).data);
  await send(authenticateApdu(keyHandle, { challenge: 3 }));
  await send(authenticateApdu(keyHandle, { challenge: 4, p1: 0x08 }));
  await send(authenticateApdu(keyHandle, { p1: 0x07 }));
  return steps;
}

async function replay(steps: RecordedStep[], target: Answering) {
  const comparison = new ScenarioComparison('u2f.sample');
  for (const step of steps) {
    const sent = comparison.commandFor(step);
    comparison.add(step, sent, { answer: { kind: 'response', bytes: await target.process(sent.command) }, attempts: 1, durationMs: 1 });
  }
  return comparison.result();
}

async function withTokens(body: (a: U2fToken, b: U2fToken) => Promise<void>) {
  const profile = await loadProfile();
  const a = await U2fToken.open({ profile });
  const b = await U2fToken.open({ profile });
  try {
    await body(a, b);
  } finally {
    await a.close();
    await b.close();
  }
}

test('another device: the key handle is mapped, every fact is the same, and times give a ratio', () =>
  withTokens(async (a, b) => {
    const result = await replay(await recordScenario(a), b);
    assert.is(result.outcome, 'same', JSON.stringify(result.steps.map((step) => step.differences)));
    assert.equal(result.steps.map((step) => step.command), ['REGISTER', 'AUTHENTICATE P1 03', 'AUTHENTICATE P1 08', 'AUTHENTICATE P1 07']);
    assert.equal(result.steps.map((step) => step.keyHandleSubstituted), [false, true, true, true]);
    const [, first, second, check] = result.steps;
    assert.equal(first.replayed.fields, { [Field.STATUS_WORD]: '9000 NO_ERROR', [Field.USER_PRESENCE]: 'set', [Field.COUNTER_ORDER]: 'first in scenario', [Field.SIGNATURE]: 'verifies' });
    assert.equal(second.replayed.fields[Field.USER_PRESENCE], 'clear');
    assert.equal(second.replayed.fields[Field.COUNTER_ORDER], 'increased');
    assert.equal(check.replayed.fields, { [Field.STATUS_WORD]: '6985 CONDITIONS_NOT_SATISFIED' }, 'check-only finds its own handle');
    assert.is(first.timingRatio, 0.5);
    assert.is(result.medianTimingRatio, 0.5);
  }));

test('without the mapping the target would not know the handle: unmapped, it answers 6A80', () =>
  withTokens(async (a, b) => {
    const [, authenticate] = await recordScenario(a);
    const result = await replay([authenticate], b);
    assert.equal(result.steps[0].differences, [{ field: Field.STATUS_WORD, recorded: '9000 NO_ERROR', replayed: '6A80 WRONG_DATA' }]);
  }));

test('corrupted signatures differ in the signature field only', () =>
  withTokens(async (a, b) => {
    const faulty = withFaults(b, [{ instruction: 'AUTHENTICATE', corruptSignature: true }]);
    const result = await replay(await recordScenario(a), faulty);
    assert.is(result.outcome, 'differs');
    assert.equal(result.steps.map((step) => step.differences), [
      [],
      [{ field: Field.SIGNATURE, recorded: 'verifies', replayed: 'does not verify' }],
      [{ field: Field.SIGNATURE, recorded: 'verifies', replayed: 'does not verify' }],
      [],
    ]);
  }));

test('a recording that polled through 6985 and a target that answered at once: a note, no difference', () =>
  withTokens(async (a, b) => {
    const [register] = await recordScenario(a);
    const comparison = new ScenarioComparison('u2f.sample');
    const polled = { ...register, attempts: 4 };
    const sent = comparison.commandFor(polled);
    const step = comparison.add(polled, sent, { answer: { kind: 'response', bytes: await b.process(sent.command) }, attempts: 1, durationMs: 1 });
    assert.equal(step.differences, []);
    assert.equal(step.notes, ['presence: the recorded token answered 6985 3 time(s) first, the target answered at once']);
  }));

test.run();
