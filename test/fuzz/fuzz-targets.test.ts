// Every fuzz target for a short while in `npm test` (KEYLOOP_FUZZ_SECONDS, default 2): the same
// properties `npm run fuzz` checks for longer. The seed is fixed (KEYLOOP_FUZZ_SEED, default 1) so
// that `npm test` is reproducible; findings print their input and replay command.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadFuzzTargets } from '../../fuzz/load-targets.ts';
import { runFuzzTarget } from '../../fuzz/fuzz-run.ts';

const seconds = Number(process.env.KEYLOOP_FUZZ_SECONDS ?? 2);
const seed = Number(process.env.KEYLOOP_FUZZ_SEED ?? 1);

for (const target of await loadFuzzTargets()) {
  test(`fuzz ${target.name}: ${target.surface}`, async () => {
    const result = await runFuzzTarget(target, { seconds, seed });
    const { finding } = result;
    assert.ok(
      !finding,
      finding && `${finding.error}\ninput: ${finding.input}\nreplay: npm run fuzz -- --only ${target.name} --seed=${finding.seed} --path ${finding.path}`,
    );
    assert.ok(result.runs > 0, 'no input ran');
  });
}

test.run();
