// Real runs for the report tests: scenarios on the in-process emulator, recorded as `keyloop
// run` records them (transcript first, then the reports), in a temporary reports directory.
import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allScenarios } from '../../scenarios/index.ts';
import { defineScenario, Recorder, runScenarios, selectScenarios, type RunResult, type Scenario } from '../../harness/runner/index.ts';
import { openEmulatorTarget } from '../../harness/targets/emulator-target.ts';
import type { Capability } from '../../harness/targets/token-target.ts';
import { TRANSCRIPT_FILE } from '../../harness/report/transcript-format.ts';
import { writeRunReport } from '../../harness/report/write-run.ts';

/** Ten scenarios over both suites; the faulty profile fails five of them. */
export const SELECTION = [
  'u2f.version', 'u2f.register-authenticate', 'u2f.check-only-own', 'u2f.check-only-foreign', 'u2f.counter-increasing',
  'u2f.counter-across-restart', 'u2f.bad-cla', 'u2f.wrong-length', 'ctaphid.init', 'ctaphid.invalid-cmd',
];

export const FAULTY_PROFILE = 'fixtures/profiles/faulty.json';

/** A scenario whose body breaks (not the token): the runner reports it as an error. */
export const BROKEN_SCENARIO: Scenario = defineScenario({
  id: 'u2f.harness-bug',
  title: 'A scenario that throws a TypeError',
  tags: ['u2f', 'broken'],
  async run() {
    throw new TypeError("Cannot read properties of undefined (reading 'keyHandle')");
  },
});

export interface RecordRunOptions {
  reportsDir: string;
  profilePath?: string;
  scenarios?: Scenario[];
  /** Target capabilities to take away, so the scenarios needing them are skipped. */
  withhold?: Capability[];
  /** Run start, so that two runs of one test get distinct ids. */
  startedAt?: Date;
}

export interface RecordedRun {
  run: RunResult;
  dir: string;
}

export async function recordRun({ reportsDir, profilePath, scenarios = selectScenarios(allScenarios, SELECTION), withhold = [], startedAt }: RecordRunOptions): Promise<RecordedRun> {
  const target = await openEmulatorTarget({ profilePath });
  const token = { ...target, capabilities: new Set([...target.capabilities].filter((each) => !withhold.includes(each))) };
  const recorder = new Recorder();
  const clock = startedAt ? clockFrom(startedAt) : undefined;
  try {
    const run = await runScenarios({ scenarios, token, recorder, ...(clock ? { now: clock } : {}) });
    await mkdir(join(reportsDir, run.runId), { recursive: true });
    await recorder.write(join(reportsDir, run.runId, TRANSCRIPT_FILE));
    return { run, dir: await writeRunReport(run, reportsDir) };
  } finally {
    await target.close();
  }
}

export function temporaryReportsDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'keyloop-report-test-'));
}

/** A clock that reads `start` now and runs on at the real pace. */
function clockFrom(start: Date): () => Date {
  const origin = Date.now();
  return () => new Date(start.getTime() + Date.now() - origin);
}
