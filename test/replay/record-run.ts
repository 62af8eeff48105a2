// A recorded run for replay tests, made the way `keyloop run` makes one: the runner with the
// recorder on an in-process emulator, its transcript written to <reports>/<run-id>/transcript.jsonl.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { allScenarios } from '../../scenarios/index.ts';
import { TRANSCRIPT_FILE } from '../../harness/report/transcript-format.ts';
import { Recorder, runScenarios, selectScenarios } from '../../harness/runner/index.ts';
import { openEmulatorTarget } from '../../harness/targets/emulator-target.ts';

/** U2F scenarios that pass on any honest key, plus one CTAPHID-only scenario. */
export const RECORDED_SCENARIOS = ['u2f.version', 'u2f.register-authenticate', 'u2f.check-only-own', 'u2f.counter-increasing', 'u2f.bad-cla', 'u2f.short-apdu', 'ctaphid.ping'];

/** Returns the run id. */
export async function recordRun(reportsDir: string, patterns: string[] = RECORDED_SCENARIOS): Promise<string> {
  const target = await openEmulatorTarget();
  try {
    const recorder = new Recorder();
    const run = await runScenarios({ scenarios: selectScenarios(allScenarios, patterns), token: target, recorder });
    const failed = run.scenarios.filter((scenario) => scenario.outcome !== 'pass');
    if (failed.length > 0) throw new Error(`recording failed: ${failed.map((scenario) => `${scenario.id}: ${scenario.reason}`).join('; ')}`);
    await mkdir(join(reportsDir, run.runId), { recursive: true });
    await recorder.write(join(reportsDir, run.runId, TRANSCRIPT_FILE));
    return run.runId;
  } finally {
    await target.close();
  }
}
