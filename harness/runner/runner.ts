// The scenario runner: runs scenarios one at a time against a token target, with a time
// limit each, capability-based skips, timed steps, and cleanup of what each scenario opened.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CtaphidClient, CtaphidClientError, CtaphidProtocolError } from '../ctaphid/index.ts';
import { ApduError, PresenceTimeoutError, U2fClient } from '../u2f/index.ts';
import { TransportClosedError, TransportTimeoutError, type ReportTransport } from '../transports/report-transport.ts';
import type { TokenTarget } from '../targets/token-target.ts';
import type { IamTarget } from '../targets/iam-target.ts';
import { DEFAULT_CHROMIUM } from '../browser/chromium-path.ts';
import { iamAccess } from './iam-access.ts';
import { expect, ExpectationError } from './expect.ts';
import type { Recorder, RecordingScope } from './recorder.ts';
import { TRANSCRIPT_FILE } from '../report/transcript-format.ts';
import { countOutcomes, type Outcome, type RunResult, type ScenarioResult, type StepResult } from './result.ts';
import type { HostCapability, Requirement, Scenario, ScenarioContext } from './scenario.ts';

export interface RunOptions {
  scenarios: Scenario[];
  token: TokenTarget;
  /** IAM target for scenarios that require 'iam'; they are skipped without one. */
  iam?: IamTarget;
  /** The run's id (its IAM resources carry it); derived from the start time when omitted. */
  runId?: string;
  /** Called before each scenario starts (progress display). */
  onStart?: (scenario: Scenario, index: number, count: number) => void;
  /** Called after each scenario (terminal output, progress). */
  onResult?: (result: ScenarioResult) => void;
  /** Default time limit when a scenario sets none. */
  defaultTimeoutMs?: number;
  /** Taps every HID report and APDU into a transcript; results then point at their lines. */
  recorder?: Recorder;
  /** Asks a person to touch a physical key; see U2fClientOptions.onTouchNeeded. */
  touchPrompt?: (scenario: string, operation: string, timeoutMs: number) => (() => void) | void;
  /** Stamp for the run id and start time (injectable for tests). */
  now?: () => Date;
  /** Base directory for files scenarios keep (screenshots); each scenario gets `<artifactsDir>/<scenario id>`. */
  artifactsDir?: string;
  /** What this machine offers; default: 'browser' when Chromium is at /usr/bin/chromium. */
  host?: ReadonlySet<HostCapability>;
}

/** The host capabilities found on this machine, checked once per run. */
export function detectHost(): Set<HostCapability> {
  return new Set<HostCapability>(existsSync(DEFAULT_CHROMIUM) ? ['browser'] : []);
}

export async function runScenarios({
  scenarios,
  token,
  iam,
  runId,
  onStart,
  onResult,
  defaultTimeoutMs = 20_000,
  recorder,
  touchPrompt,
  now = () => new Date(),
  artifactsDir,
  host = detectHost(),
}: RunOptions): Promise<RunResult> {
  const started = now();
  const available = new Set<Requirement>([...token.capabilities, ...(iam ? ['iam' as const, ...iam.capabilities] : []), ...host]);
  const results: ScenarioResult[] = [];
  for (const [index, scenario] of scenarios.entries()) {
    onStart?.(scenario, index, scenarios.length);
    const first = recorder?.entries.length ?? 0;
    const result = await runOne(scenario, token, { iam, available, defaultTimeoutMs, recorder, touchPrompt, artifactsDir: artifactsDir && join(artifactsDir, scenario.id) });
    const last = recorder?.entries.length ?? 0;
    // Transcript lines are 1-based and inclusive.
    if (last > first) result.transcript = { file: TRANSCRIPT_FILE, from: first + 1, to: last };
    results.push(result);
    onResult?.(result);
  }
  return {
    runId: runId ?? runIdFor(started),
    startedAt: started.toISOString(),
    durationMs: now().getTime() - started.getTime(),
    token: token.description,
    iam: iam?.description,
    scenarios: results,
    totals: countOutcomes(results),
  };
}

/** `20261128-173012-4821`: sortable, readable, unique enough for a directory name. */
export function runIdFor(date: Date): string {
  const stamp = date.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${String(date.getMilliseconds()).padStart(3, '0')}${Math.floor(Math.random() * 10)}`;
}

interface RunOneOptions extends Required<Pick<RunOptions, 'defaultTimeoutMs'>>, Pick<RunOptions, 'iam' | 'recorder' | 'touchPrompt' | 'artifactsDir'> {
  available: ReadonlySet<Requirement>;
}

async function runOne(scenario: Scenario, target: TokenTarget, { iam, available, defaultTimeoutMs, recorder, touchPrompt, artifactsDir }: RunOneOptions): Promise<ScenarioResult> {
  const base = { id: scenario.id, title: scenario.title, suite: scenario.id.split('.')[0], tags: scenario.tags ?? [] };
  const missing = (scenario.requires ?? []).filter((requirement) => !available.has(requirement));
  if (missing.length > 0) {
    const targets = iam ? `targets ${target.description.target} and ${iam.description.target} lack` : `target ${target.description.target} lacks`;
    const reason = missing.includes('iam') && !iam ? 'no IAM target (--iam)' : missing.includes('browser') ? `Chromium is missing (${DEFAULT_CHROMIUM})` : `${targets} ${missing.join(', ')}`;
    return { ...base, outcome: 'skip', reason, durationMs: 0, steps: [], observations: [] };
  }

  const steps: StepResult[] = [];
  const observations: string[] = [];
  const opened: ReportTransport[] = [];
  const abort = new AbortController();
  const scope: RecordingScope = { scenario: scenario.id };
  const transport = async () => {
    const opening = await target.openTransport();
    opened.push(opening);
    return recorder ? recorder.tapTransport(opening, scope) : opening;
  };
  const channel = async () => CtaphidClient.open(await transport());
  const apduChannel = async () => {
    const client = await channel();
    return recorder ? recorder.tapChannel(client, scope) : client;
  };
  const context: ScenarioContext = {
    token: {
      transport,
      channel,
      u2f: async ({ presenceTimeoutMs } = {}) =>
        new U2fClient({
          channel: await apduChannel(),
          presenceTimeoutMs,
          onTouchNeeded: touchPrompt && ((operation, timeoutMs) => touchPrompt(scenario.id, operation, timeoutMs)),
        }),
      control: target.control,
    },
    iam: iam && iamAccess(iam, recorder, scope),
    expect,
    signal: abort.signal,
    artifactsDir,
    observe: (note) => observations.push(note),
    async step(name, body) {
      const start = performance.now();
      scope.step = name;
      try {
        const value = await body();
        steps.push({ name, durationMs: performance.now() - start, outcome: 'pass' });
        return value;
      } catch (error) {
        steps.push({ name, durationMs: performance.now() - start, outcome: classify(error) === 'error' ? 'error' : 'fail' });
        throw error;
      } finally {
        scope.step = undefined;
      }
    },
  };

  const timeoutMs = scenario.timeoutMs ?? defaultTimeoutMs;
  const start = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      abort.abort();
      reject(new ExpectationError('scenario time limit', `done within ${timeoutMs} ms`, 'still running'));
    }, timeoutMs);
  });
  let outcome: Outcome = 'pass';
  let failure: Partial<ScenarioResult> = {};
  try {
    await Promise.race([scenario.run(context), timeout]);
  } catch (error) {
    outcome = classify(error);
    failure = describeFailure(error);
  } finally {
    clearTimeout(timer);
    await Promise.allSettled(opened.map((each) => each.close()));
    await target.control?.reset();
  }
  return { ...base, outcome, ...failure, durationMs: performance.now() - start, steps, observations };
}

/** Protocol answers and broken expectations are the token failing; anything else is our error. */
function classify(error: unknown): Outcome {
  const failures = [ExpectationError, ApduError, CtaphidProtocolError, CtaphidClientError, PresenceTimeoutError, TransportTimeoutError, TransportClosedError];
  return failures.some((type) => error instanceof type) ? 'fail' : 'error';
}

function describeFailure(error: unknown): Partial<ScenarioResult> {
  if (error instanceof ExpectationError) return { reason: error.message, expected: error.expected, actual: error.actual };
  if (error instanceof Error) return { reason: `${error.name}: ${error.message}` };
  return { reason: String(error) };
}
