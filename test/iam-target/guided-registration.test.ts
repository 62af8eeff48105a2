// The guided console step against the mock: the poller sees a security key registered while it
// waits (straight into the mock's store, as the console would), ignores keys the user already had,
// times out with a message that says what it waited for, stops at once when waiting cannot help,
// and the guide prints the workshop's steps with the sign-in URL and password. The clock is a fake
// one: a ten-minute wait takes no time.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Writable } from 'node:stream';
import { IAMClient } from '@aws-sdk/client-iam';
import { createProgress, guideSecurityKeyRegistration, securityKeySteps, signInUrl, waitForSecurityKey, type Clock } from '../../harness/iam/index.ts';
import { openMockIamTarget, type MockIamTarget } from '../../harness/targets/mock-iam-target.ts';
import { addSecurityKey } from './support.ts';

let target: MockIamTarget;
let iam: IAMClient;
let userName: string;

test.before(async () => {
  target = await openMockIamTarget({ runId: 'g1' });
  iam = new IAMClient(target.clientConfig());
  userName = (await target.resources.createUser('dana', { password: 'Workshop-Passw0rd!' })).userName;
});

test.after(async () => {
  iam.destroy();
  await target.close();
});

/** A clock whose sleeps pass at once, calling `onSleep` with the sleep's number (1, 2, …). */
function fakeClock(onSleep: (count: number) => void = () => {}): Clock & { sleeps: number[] } {
  let now = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
      onSleep(sleeps.length);
    },
  };
}

test('a key registered while the poller waits is found; keys from before do not count', async () => {
  const before = addSecurityKey(target.server, userName, 'older');
  let added = '';
  const clock = fakeClock((count) => {
    if (count === 3) added = addSecurityKey(target.server, userName, 'newkey').serialNumber;
  });
  const result = await waitForSecurityKey({ iam, userName, intervalMs: 2_000, clock });
  assert.equal(result, { status: 'registered', serialNumber: added, elapsedMs: 6_000, polls: 4 });
  assert.match(added, /^arn:aws:iam::123456789012:u2f\/user\/keyloop-g1-dana\/newkey-/);
  assert.is.not(added, before.serialNumber);
  assert.equal(clock.sleeps, [2_000, 2_000, 2_000]);
});

test('times out with a clear message, the last sleep cut to the deadline', async () => {
  const clock = fakeClock();
  const result = await waitForSecurityKey({ iam, userName, timeoutMs: 10_000, intervalMs: 3_000, clock });
  assert.is(result.status, 'timed-out');
  assert.equal(clock.sleeps, [3_000, 3_000, 3_000, 1_000]);
  assert.is(result.polls, 5);
  if (result.status !== 'registered') {
    assert.match(result.message, /^no new security key for IAM user keyloop-g1-dana after 0:10 min \(5 ListMFADevices calls; no new key yet, 2 from before the wait\)/);
  }
});

test('a user that does not exist ends the wait at once (NoSuchEntity), without waiting out the timeout', async () => {
  const clock = fakeClock();
  const result = await waitForSecurityKey({ iam, userName: 'keyloop-g1-nobody', clock });
  assert.equal([result.status, result.polls, clock.sleeps], ['failed', 1, []]);
  if (result.status !== 'registered') assert.match(result.message, /NoSuchEntity/);
});

test('an aborted wait rejects with the signal\'s reason', async () => {
  const controller = new AbortController();
  const clock = fakeClock((count) => count === 2 && controller.abort(new Error('scenario time limit')));
  const outcome = await waitForSecurityKey({ iam, userName, clock, signal: controller.signal }).then(() => 'resolved', (error: Error) => error.message);
  assert.is(outcome, 'scenario time limit');
});

test('the guide prints the steps with the sign-in URL and password, opens the URL, shows progress', async () => {
  const printed: string[] = [];
  const opened: string[] = [];
  const progressLines: string[] = [];
  const clock = fakeClock((count) => {
    if (count === 2) addSecurityKey(target.server, userName, 'guided');
  });
  const stream = new Writable({ write: (chunk, _encoding, done) => void (progressLines.push(String(chunk)), done()) });
  const result = await guideSecurityKeyRegistration({
    iam,
    userName,
    accountId: target.description.accountId,
    password: 'Workshop-Passw0rd!',
    print: (line) => printed.push(line),
    openUrl: (url) => opened.push(url),
    clock,
    progress: createProgress({ stream, clock, lineEveryMs: 5_000 }),
    intervalMs: 3_000,
  });
  assert.is(result.status, 'registered');
  assert.equal(opened, ['https://123456789012.signin.aws.amazon.com/console']);
  assert.is(printed[0], 'Register a security key for IAM user keyloop-g1-dana in the AWS console (AWS allows it nowhere else):');
  assert.ok(printed.some((line) => line.includes('Sign in as IAM user keyloop-g1-dana with password Workshop-Passw0rd!')), printed.join('\n'));
  assert.ok(printed.some((line) => line.includes('Assign MFA device')));
  // Not a TTY: a line at the first poll, none within 5 s, then the final one.
  assert.is(progressLines.length, 2, progressLines.join(''));
  assert.match(progressLines[0], /^waiting for a security key on keyloop-g1-dana \(no new key yet, 2 from before the wait\), 10:00 left\n$/);
  assert.match(progressLines[1], /^security key registered for keyloop-g1-dana: arn:aws:iam::123456789012:u2f\/user\/keyloop-g1-dana\/guided-/);
});

test('steps and sign-in URL stand alone, for a runner that shows them its own way', () => {
  assert.is(signInUrl('111122223333'), 'https://111122223333.signin.aws.amazon.com/console');
  const steps = securityKeySteps({ signInUrl: 'http://127.0.0.1:4566/console', userName: 'u', password: 'p', deviceName: 'yubi' });
  assert.is(steps.length, 6);
  assert.ok(steps[0].includes('http://127.0.0.1:4566/console'));
  assert.ok(steps[4].includes('yubi'));
});

test.run();
