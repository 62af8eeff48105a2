// The fuzz runner itself: it must find a planted bug, shrink it to a replayable input, call a
// stalled input a hang, and call steady heap growth unbounded memory.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { defineFuzzTarget } from '../../fuzz/fuzz-target.ts';
import { runFuzzTarget } from '../../fuzz/fuzz-run.ts';

const planted = defineFuzzTarget({
  name: 'planted',
  surface: 'a parser that rejects byte 0x42 after byte 0x41 by throwing',
  input: fc.uint8Array({ maxLength: 16 }),
  async setup() {
    return { tornDown: false };
  },
  async execute(_context, bytes: Uint8Array) {
    const at = bytes.indexOf(0x41);
    if (at >= 0 && bytes[at + 1] === 0x42) throw new RangeError('planted bug');
    return bytes.length === 0 ? 'empty' : 'parsed';
  },
  async teardown(context) {
    context.tornDown = true;
  },
});

test('a planted bug is found, shrunk to its two bytes, and replays from its seed and path', async () => {
  const result = await runFuzzTarget(planted, { seconds: 2 });
  assert.ok(result.finding, 'no finding');
  assert.is(result.finding.input, 'Uint8Array.from([65,66])');
  assert.match(result.finding.error, /RangeError: planted bug/);
  const replay = await runFuzzTarget(planted, { seconds: 1, seed: result.finding.seed, path: result.finding.path });
  assert.is(replay.runs, 1);
  assert.is(replay.finding?.input, result.finding.input);
});

test('outcomes are tallied per label and a clean target has no finding', async () => {
  const clean = { ...planted, execute: async (_: unknown, bytes: Uint8Array) => (bytes.length === 0 ? 'empty' : 'parsed') };
  const result = await runFuzzTarget(clean, { seconds: 0.5 });
  assert.is(result.finding, undefined);
  assert.ok(result.outcomes.empty > 0 && result.outcomes.parsed > 0, JSON.stringify(result.outcomes));
  assert.is(result.outcomes.empty + result.outcomes.parsed, result.runs);
});

test('an input that never answers is a hang', async () => {
  const stalls = { ...planted, hangMilliseconds: 50, execute: (_: unknown, bytes: Uint8Array) => (bytes.length > 3 ? new Promise<string>(() => {}) : Promise.resolve('short')) };
  const result = await runFuzzTarget(stalls, { seconds: 2 });
  assert.match(result.finding?.error ?? '', /hang: no outcome within 50 ms/);
  assert.is(result.finding?.input.split(',').length, 4);
});

test('an input cut off by a phase time limit finishes before the next input, heap sample or teardown', async () => {
  let running = 0;
  let overlaps = 0;
  const slow = {
    ...planted,
    async execute() {
      running++;
      if (running > 1) overlaps++;
      await new Promise((resolve) => setTimeout(resolve, 150));
      running--;
      return 'slow';
    },
    async teardown() {
      if (running > 0) overlaps++;
    },
  };
  // The 0.2 s warm-up ends in the middle of the second input.
  const result = await runFuzzTarget(slow, { seconds: 1 });
  assert.is(result.finding, undefined);
  assert.is(overlaps, 0);
});

test('heap that keeps growing after warm-up is unbounded memory', async () => {
  const kept: Uint8Array[] = [];
  const leaks = { ...planted, execute: async () => (kept.push(new Uint8Array(64 * 1024).fill(1)), 'kept') };
  const result = await runFuzzTarget(leaks, { seconds: 1.5, minSecondsForHeapVerdict: 1 });
  assert.match(result.finding?.error ?? '', /^unbounded memory: heap grew from/);
  assert.ok(result.heapAtEnd - result.heapAfterWarmUp > 16 * 2 ** 20);
  kept.length = 0;
});

test.run();
