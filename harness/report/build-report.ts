// Turns the runner's result into the report model: picks the published fields, rounds timings,
// and computes the totals per suite and per category (tag) that every renderer shows.
import type { RunResult, ScenarioResult } from '../runner/index.ts';
import type { IamDescription } from '../targets/iam-target.ts';
import type { TokenDescription } from '../targets/token-target.ts';
import {
  REPORT_FORMAT_VERSION,
  type DeviceUnderTest,
  type GroupTotals,
  type HostFacts,
  type IamUnderTest,
  type OutcomeCounts,
  type Report,
  type ScenarioReport,
  type ToolFacts,
  type TranscriptRange,
} from './model.ts';

/** A run result, with the IAM target and the transcript lines each scenario has when present. */
export type RunInput = Omit<RunResult, 'iam' | 'scenarios'> & {
  iam?: IamDescription;
  scenarios: Array<ScenarioResult & { transcript?: TranscriptRange }>;
};

export interface BuildReportOptions {
  run: RunInput;
  tool: ToolFacts;
  host: HostFacts;
}

export function buildReport({ run, tool, host }: BuildReportOptions): Report {
  const scenarios = run.scenarios.map(scenarioReport);
  return {
    formatVersion: REPORT_FORMAT_VERSION,
    tool,
    runId: run.runId,
    startedAt: run.startedAt,
    durationMs: roundMs(run.durationMs),
    host,
    targets: { token: deviceUnderTest(run.token), ...(run.iam ? { iam: iamUnderTest(run.iam) } : {}) },
    totals: countOutcomes(scenarios),
    suites: groupTotals(scenarios, (scenario) => [scenario.suite]),
    // A tag naming the scenario's own suite (`u2f` on u2f.*) would only repeat the suite totals.
    categories: groupTotals(scenarios, (scenario) => scenario.tags.filter((tag) => tag !== scenario.suite)).sort((a, b) => a.name.localeCompare(b.name)),
    scenarios,
  };
}

function countOutcomes(scenarios: ScenarioReport[]): OutcomeCounts {
  const totals: OutcomeCounts = { total: scenarios.length, pass: 0, fail: 0, skip: 0, error: 0 };
  for (const scenario of scenarios) totals[scenario.outcome]++;
  return totals;
}

/** Groups in order of first appearance; a scenario counts in every group `keys` names. */
function groupTotals(scenarios: ScenarioReport[], keys: (scenario: ScenarioReport) => string[]): GroupTotals[] {
  const members = new Map<string, ScenarioReport[]>();
  for (const scenario of scenarios) {
    for (const key of keys(scenario)) members.set(key, [...(members.get(key) ?? []), scenario]);
  }
  return [...members].map(([name, group]) => ({
    name,
    totals: countOutcomes(group),
    durationMs: roundMs(group.reduce((sum, scenario) => sum + scenario.durationMs, 0)),
  }));
}

function scenarioReport(result: RunInput['scenarios'][number]): ScenarioReport {
  const { id, title, suite, tags, outcome, reason, expected, actual, transcript } = result;
  return {
    id,
    title,
    suite,
    tags,
    outcome,
    ...defined({ reason, expected, actual }),
    durationMs: roundMs(result.durationMs),
    steps: result.steps.map((step) => ({ name: step.name, outcome: step.outcome, durationMs: roundMs(step.durationMs) })),
    observations: result.observations,
    ...(transcript ? { transcript: { file: transcript.file, from: transcript.from, to: transcript.to } } : {}),
  };
}

function deviceUnderTest(token: TokenDescription): DeviceUnderTest {
  const { target, kind, vendorId, productId, manufacturer, product, serialNumber, deviceVersion, capabilityFlags, attestationSubject, attestationFingerprint } = token;
  return { target, kind, ...defined({ vendorId, productId, manufacturer, product, serialNumber, deviceVersion, capabilityFlags, attestationSubject, attestationFingerprint }) };
}

function iamUnderTest({ target, kind, endpoint, accountId, region, principalArn }: IamDescription): IamUnderTest {
  return { target, kind, endpoint, ...defined({ accountId, region, principalArn }) };
}

/** The entries whose value is not undefined, so the JSON has no keys the schema would read as present. */
function defined<T extends object>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/** Hundredths of a millisecond: timer noise below that only bloats the JSON. */
function roundMs(ms: number): number {
  return Math.round(ms * 100) / 100;
}
