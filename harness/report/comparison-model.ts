// The comparison of two runs (compare.json, format version 1): what `keyloop report --compare`
// computes once and renders as HTML and Markdown. A is the reference (say the emulator), B the
// run under scrutiny (say a physical key).
import type { DeviceUnderTest, IamUnderTest, Outcome, OutcomeCounts } from './model.ts';

export const COMPARISON_FORMAT_VERSION = 1;

export interface Comparison {
  formatVersion: typeof COMPARISON_FORMAT_VERSION;
  a: RunSide;
  b: RunSide;
  summary: ComparisonSummary;
  /** Every scenario of either run: A's order, then those only B ran. */
  scenarios: ScenarioPair[];
  /** Device and IAM target fields side by side, differing or not. */
  targets: FieldRow[];
  /** Stable fields of the recorded messages (status words, commands, flags) that differ; needs both transcripts. */
  responses: ResponseDifference[];
  /** B's time over A's, per scenario and per step both ran (when they differ by a millisecond or more), the largest change first. */
  timing: TimingRatio[];
}

export interface RunSide {
  runId: string;
  startedAt: string;
  durationMs: number;
  token: DeviceUnderTest;
  iam?: IamUnderTest;
  totals: OutcomeCounts;
  /** Whether a transcript was found beside the run's report. */
  transcript: boolean;
}

export interface ComparisonSummary {
  /** Scenarios both runs ran with different outcomes. */
  differing: number;
  same: number;
  onlyInA: number;
  onlyInB: number;
  differingTargetFields: number;
  differingResponseFields: number;
}

export type PairStatus = 'differs' | 'same' | 'only-a' | 'only-b';

export interface ScenarioPair {
  id: string;
  title: string;
  suite: string;
  tags: string[];
  status: PairStatus;
  a?: ScenarioSide;
  b?: ScenarioSide;
}

export interface ScenarioSide {
  outcome: Outcome;
  reason?: string;
  expected?: string;
  actual?: string;
  durationMs: number;
}

export interface FieldRow {
  /** `vendor id`, `capabilities`, `IAM endpoint`, ... */
  field: string;
  a?: string;
  b?: string;
  same: boolean;
}

export interface ResponseDifference {
  scenario: string;
  /** Which message, counted per layer and direction: `APDU ← 2 (REGISTER response)`. */
  message: string;
  /** A decoded field (`SW`, `capabilities`), or `messages`: how many of that layer and direction each run has, when one has more. */
  field: string;
  /** Absent when that run had no such field. */
  a?: string;
  b?: string;
}

export interface TimingRatio {
  scenario: string;
  /** Absent for the whole scenario. */
  step?: string;
  aMs: number;
  bMs: number;
  /** bMs / aMs. */
  ratio: number;
}
