// Sending a step: polling through 6985 only when the recording got past it, a timeout that
// gives up with 6985, and CTAPHID failures as the answer rather than a crash.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CtaphidProtocolError } from '../../harness/ctaphid/errors.ts';
import { sendStep } from '../../harness/replay/send-step.ts';
import type { ApduChannel } from '../../harness/u2f/client.ts';

/** Answers from a script, one per call; the last one repeats. */
function scripted(...answers: Array<string | Error>): ApduChannel & { calls: number } {
  const channel = {
    calls: 0,
    async msg() {
      const answer = answers[Math.min(channel.calls++, answers.length - 1)];
      if (answer instanceof Error) throw answer;
      return new Uint8Array(Buffer.from(answer, 'hex'));
    },
  };
  return channel;
}

const COMMAND = Uint8Array.of(0, 1, 3, 0);
const hexOf = (step: Awaited<ReturnType<typeof sendStep>>) => (step.answer.kind === 'response' ? Buffer.from(step.answer.bytes).toString('hex') : step.answer.reason);

test('polls through 6985 until the target answers otherwise, prompting once', async () => {
  const channel = scripted('6985', '6985', '05009000');
  let prompts = 0;
  const step = await sendStep(channel, COMMAND, { untilTouched: true, retryIntervalMs: 1, onTouchNeeded: () => prompts++ });
  assert.is(hexOf(step), '05009000');
  assert.is(step.attempts, 3);
  assert.is(prompts, 1);
});

test('a step recorded as ending in 6985 is sent once', async () => {
  const channel = scripted('6985', '9000');
  const step = await sendStep(channel, COMMAND, { untilTouched: false, retryIntervalMs: 1 });
  assert.is(hexOf(step), '6985');
  assert.is(channel.calls, 1);
});

test('without a touch before the presence timeout, 6985 is the answer', async () => {
  const step = await sendStep(scripted('6985'), COMMAND, { untilTouched: true, presenceTimeoutMs: 30, retryIntervalMs: 5 });
  assert.is(hexOf(step), '6985');
  assert.ok(step.attempts > 1 && step.durationMs >= 30, `${step.attempts} attempts in ${step.durationMs} ms`);
});

test('a CTAPHID error is the answer; a bug in the harness is not swallowed', async () => {
  const step = await sendStep(scripted(new CtaphidProtocolError(0x06, { command: 0x03, cid: 1 })), COMMAND, { untilTouched: true });
  assert.match(hexOf(step), /^CtaphidProtocolError: .*ERR_CHANNEL_BUSY/);
  try {
    await sendStep(scripted(new TypeError('bug')), COMMAND, { untilTouched: true });
    assert.unreachable('a TypeError must propagate');
  } catch (error) {
    assert.instance(error, TypeError);
  }
});

test.run();
