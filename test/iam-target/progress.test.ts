// The progress line: a spinner redrawn in place on a terminal, throttled plain lines elsewhere.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Writable } from 'node:stream';
import { createProgress } from '../../harness/iam/progress.ts';

function capture(isTTY: boolean): { stream: Writable & { isTTY: boolean }; written: string[] } {
  const written: string[] = [];
  const stream = Object.assign(new Writable({ write: (chunk, _encoding, done) => void (written.push(String(chunk)), done()) }), { isTTY });
  return { stream, written };
}

test('on a TTY: each update redraws the line with a spinner frame; done clears it and ends the line', () => {
  const { stream, written } = capture(true);
  const progress = createProgress({ stream, frameMs: 60_000 });
  progress.update('waiting');
  progress.update('still waiting');
  progress.done('registered');
  assert.equal(written, ['\r\x1b[2K⠋ waiting', '\r\x1b[2K⠙ still waiting', '\r\x1b[2Kregistered\n']);
});

test('without a TTY: a line at most every lineEveryMs, then the final line', () => {
  const { stream, written } = capture(false);
  let now = 0;
  const progress = createProgress({ stream, clock: { now: () => now }, lineEveryMs: 1_000 });
  for (const at of [0, 400, 999, 1_000, 1_500, 2_100]) {
    now = at;
    progress.update(`t=${at}`);
  }
  progress.done('done');
  assert.equal(written, ['t=0\n', 't=1000\n', 't=2100\n', 'done\n']);
});

test.run();
