// Run versus run: which scenarios changed outcome, which target fields differ, which recorded
// responses differ field by field (status words, commands, capability bits), and how the
// timings compare. Typically A is the emulator and B a physical key, or the mock IAM and AWS.
import {
  COMPARISON_FORMAT_VERSION,
  type Comparison,
  type FieldRow,
  type PairStatus,
  type ResponseDifference,
  type RunSide,
  type ScenarioPair,
  type ScenarioSide,
  type TimingRatio,
} from './comparison-model.ts';
import { decodeTranscript, type DecodedLine } from './decode-transcript.ts';
import { deviceRows, iamRows } from './format.ts';
import type { Report, ScenarioReport } from './model.ts';
import { scenarioExcerpt, type Transcript } from './read-transcript.ts';

export interface ComparedRun {
  report: Report;
  /** The run's transcript files (readTranscripts); empty when it has none. */
  transcripts: ReadonlyMap<string, Transcript>;
}

export interface CompareOptions {
  a: ComparedRun;
  b: ComparedRun;
  /** Response differences kept per scenario: after the first few, two runs have usually parted ways. */
  responseDifferencesPerScenario?: number;
  /** Timings closer than this are left out of the ratios: below a millisecond they are mostly timer noise. */
  minTimingDifferenceMs?: number;
}

export function compareRuns({ a, b, responseDifferencesPerScenario = 12, minTimingDifferenceMs = 1 }: CompareOptions): Comparison {
  const scenarios = pairScenarios(a.report.scenarios, b.report.scenarios);
  const targets = targetRows(a.report, b.report);
  const both = scenarios.filter((pair) => pair.a && pair.b);
  const responses = both.flatMap((pair) => {
    const find = (run: ComparedRun) => run.report.scenarios.find((scenario) => scenario.id === pair.id)!;
    const linesA = decodeTranscript(scenarioExcerpt(a.transcripts, find(a)));
    const linesB = decodeTranscript(scenarioExcerpt(b.transcripts, find(b)));
    if (linesA.length === 0 || linesB.length === 0) return [];
    return responseDifferences(pair.id, linesA, linesB).slice(0, responseDifferencesPerScenario);
  });
  const count = (status: PairStatus) => scenarios.filter((pair) => pair.status === status).length;
  return {
    formatVersion: COMPARISON_FORMAT_VERSION,
    a: runSide(a),
    b: runSide(b),
    summary: {
      differing: count('differs'),
      same: count('same'),
      onlyInA: count('only-a'),
      onlyInB: count('only-b'),
      differingTargetFields: targets.filter((row) => !row.same).length,
      differingResponseFields: responses.length,
    },
    scenarios,
    targets,
    responses,
    timing: timingRatios(a.report.scenarios, b.report.scenarios, minTimingDifferenceMs),
  };
}

function runSide({ report, transcripts }: ComparedRun): RunSide {
  const { runId, startedAt, durationMs, targets, totals } = report;
  return { runId, startedAt, durationMs, token: targets.token, ...(targets.iam ? { iam: targets.iam } : {}), totals, transcript: transcripts.size > 0 };
}

function pairScenarios(inA: ScenarioReport[], inB: ScenarioReport[]): ScenarioPair[] {
  const byIdA = new Map(inA.map((scenario) => [scenario.id, scenario]));
  const byIdB = new Map(inB.map((scenario) => [scenario.id, scenario]));
  const ids = [...byIdA.keys(), ...[...byIdB.keys()].filter((id) => !byIdA.has(id))];
  return ids.map((id) => {
    const a = byIdA.get(id);
    const b = byIdB.get(id);
    const { title, suite, tags } = (a ?? b)!;
    const status: PairStatus = !a ? 'only-b' : !b ? 'only-a' : a.outcome === b.outcome ? 'same' : 'differs';
    return { id, title, suite, tags, status, ...(a ? { a: scenarioSide(a) } : {}), ...(b ? { b: scenarioSide(b) } : {}) };
  });
}

function scenarioSide({ outcome, reason, expected, actual, durationMs }: ScenarioReport): ScenarioSide {
  return { outcome, durationMs, ...(reason !== undefined ? { reason } : {}), ...(expected !== undefined ? { expected } : {}), ...(actual !== undefined ? { actual } : {}) };
}

/** The device rows of both runs, then the IAM rows, matched by field name. */
function targetRows(a: Report, b: Report): FieldRow[] {
  const rows = (report: Report) => new Map([
    ...deviceRows(report.targets.token),
    ...(report.targets.iam ? iamRows(report.targets.iam).map(([field, value]): [string, string] => [`IAM ${field}`, value]) : []),
  ]);
  const rowsA = rows(a);
  const rowsB = rows(b);
  const fields = [...rowsA.keys(), ...[...rowsB.keys()].filter((field) => !rowsA.has(field))];
  return fields.map((field) => {
    const valueA = rowsA.get(field);
    const valueB = rowsB.get(field);
    return { field, ...(valueA !== undefined ? { a: valueA } : {}), ...(valueB !== undefined ? { b: valueB } : {}), same: valueA === valueB };
  });
}

const LAYER = { hid: 'HID', apdu: 'APDU', http: 'HTTP' } as const;

/**
 * Messages worth lining up between two runs, grouped by layer and direction: every APDU and
 * HTTP message, and the HID frames the token sends except continuations and keepalives (whose
 * number depends on timing). Within a group the n-th message of A meets the n-th of B.
 */
function comparableMessages(lines: DecodedLine[]): Map<string, DecodedLine[]> {
  const groups = new Map<string, DecodedLine[]>();
  for (const line of lines) {
    const { kind, dir } = line.entry;
    if (kind === 'hid' && (dir === 'out' || line.decoded.message === 'CONT' || line.decoded.message === 'KEEPALIVE')) continue;
    const key = `${LAYER[kind]} ${dir === 'out' ? '→' : '←'}`;
    groups.set(key, [...(groups.get(key) ?? []), line]);
  }
  return groups;
}

function responseDifferences(scenario: string, linesA: DecodedLine[], linesB: DecodedLine[]): ResponseDifference[] {
  const groupsA = comparableMessages(linesA);
  const groupsB = comparableMessages(linesB);
  const differences: ResponseDifference[] = [];
  for (const key of new Set([...groupsA.keys(), ...groupsB.keys()])) {
    const messagesA = groupsA.get(key) ?? [];
    const messagesB = groupsB.get(key) ?? [];
    const paired = Math.min(messagesA.length, messagesB.length);
    for (let index = 0; index < paired; index++) {
      const lineA = messagesA[index];
      const lineB = messagesB[index];
      const message = `${key} ${index + 1} (${lineA.decoded.message})`;
      const stableA = new Map(lineA.decoded.fields.filter((field) => field.stable).map((field) => [field.name, field.value]));
      const stableB = new Map(lineB.decoded.fields.filter((field) => field.stable).map((field) => [field.name, field.value]));
      for (const field of new Set([...stableA.keys(), ...stableB.keys()])) {
        const valueA = stableA.get(field);
        const valueB = stableB.get(field);
        if (valueA !== valueB) differences.push({ scenario, message, field, ...(valueA !== undefined ? { a: valueA } : {}), ...(valueB !== undefined ? { b: valueB } : {}) });
      }
    }
    // One run went on where the other stopped (or took another path): one row for the rest.
    const longer = messagesA.length > messagesB.length ? messagesA : messagesB;
    if (longer.length > paired) {
      const range = longer.length - paired === 1 ? `${paired + 1}` : `${paired + 1}–${longer.length}`;
      differences.push({ scenario, message: `${key} ${range} (from ${longer[paired].decoded.message})`, field: 'messages', a: String(messagesA.length), b: String(messagesB.length) });
    }
  }
  return differences;
}

/** Per scenario both ran (not skipped) and per step both timed, matched by name and occurrence. */
function timingRatios(inA: ScenarioReport[], inB: ScenarioReport[], minDifferenceMs: number): TimingRatio[] {
  const byIdB = new Map(inB.map((scenario) => [scenario.id, scenario]));
  const ratios: TimingRatio[] = [];
  for (const a of inA) {
    const b = byIdB.get(a.id);
    if (!b || a.outcome === 'skip' || b.outcome === 'skip') continue;
    const add = (aMs: number, bMs: number, step?: string) => {
      if (aMs > 0 && bMs > 0 && Math.abs(bMs - aMs) >= minDifferenceMs) ratios.push({ scenario: a.id, ...(step !== undefined ? { step } : {}), aMs, bMs, ratio: Math.round((bMs / aMs) * 1000) / 1000 });
    };
    add(a.durationMs, b.durationMs);
    const stepsB = occurrenceKeys(b.steps);
    occurrenceKeys(a.steps).forEach((step, key) => {
      const other = stepsB.get(key);
      if (other) add(step.durationMs, other.durationMs, step.name);
    });
  }
  return ratios.sort((x, y) => Math.abs(Math.log(y.ratio)) - Math.abs(Math.log(x.ratio)));
}

/** Steps keyed `name#n`, so a step repeated in a loop meets its namesake of the same round. */
function occurrenceKeys<T extends { name: string }>(steps: T[]): Map<string, T> {
  const seen = new Map<string, number>();
  return new Map(steps.map((step) => {
    const n = (seen.get(step.name) ?? 0) + 1;
    seen.set(step.name, n);
    return [`${step.name}#${n}`, step];
  }));
}
