// The replay result: what `keyloop replay` found when it sent a recorded transcript's U2F
// requests to another token, written as reports/replay-<run-id>-<target>/replay.json. Values are
// the compared facts, not bytes: two tokens with different keys answer with different bytes, and
// only the facts say whether they behave alike.
import type { TokenDescription } from '../targets/token-target.ts';

export const REPLAY_FILE = 'replay.json';
export const REPLAY_FORMAT_VERSION = 1;

export interface ReplayResult {
  formatVersion: typeof REPLAY_FORMAT_VERSION;
  tool: 'keyloop';
  recorded: RecordedRun;
  /** The token the requests were replayed to. */
  target: TokenDescription;
  startedAt: string;
  durationMs: number;
  /** Scenarios replayed at the APDU level, in transcript order. */
  scenarios: ScenarioReplay[];
  /** Recorded traffic that was not replayed, per scenario, with the reason. */
  notReplayed: NotReplayed[];
  totals: ReplayTotals;
}

export interface RecordedRun {
  runId: string;
  /** Path of the transcript.jsonl that was replayed. */
  transcript: string;
  /** Lines that were not transcript entries (a truncated last line after a crash, say). */
  unreadableLines: number;
}

/** `same`: no field differs; `differs`: at least one does; `error`: the target opened no channel. */
export type ScenarioOutcome = 'same' | 'differs' | 'error';

export interface ScenarioReplay {
  id: string;
  outcome: ScenarioOutcome;
  steps: StepReplay[];
  /** Why the scenario could not be replayed (outcome `error`). */
  error?: string;
  /** Median of the steps' timing ratios (replayed / recorded), when the transcript carried times. */
  medianTimingRatio?: number;
}

/** One command as the scenario sent it: a retry loop on 6985 counts as one step. */
export interface StepReplay {
  /** 1-based position in the scenario. */
  index: number;
  /** `REGISTER`, `AUTHENTICATE P1 03`, `VERSION CLA 80`, `INS_C0`. */
  command: string;
  /** The recorded scenario's step name, when the transcript has one (`REGISTER after touch`). */
  step?: string;
  /** Transcript lines of the recorded command and its answers (1-based, inclusive). */
  lines: { from: number; to: number };
  /** The recorded key handle was replaced by the one the target issued for it. */
  keyHandleSubstituted: boolean;
  recorded: SideOutcome;
  replayed: SideOutcome;
  /** Fields whose values differ; a differing status word hides the rest. */
  differences: FieldDifference[];
  /** What is worth knowing but is not a difference (presence behaviour). */
  notes: string[];
  /** Replayed duration / recorded duration, both from first command to final answer. */
  timingRatio?: number;
}

export interface SideOutcome {
  /** Times the command was sent: more than 1 when the token answered 6985 until touched. */
  attempts: number;
  /** From the first command to the final answer; absent when the transcript has no answer. */
  durationMs?: number;
  /** The compared facts by field name: `status word`: `9000 NO_ERROR`, `signature`: `verifies`. */
  fields: Record<string, string>;
}

export interface FieldDifference {
  field: string;
  recorded: string;
  replayed: string;
}

export interface NotReplayed {
  scenario: string;
  /** HID reports recorded in a scenario without APDUs (both directions). */
  hidReports: number;
  /** HTTP messages recorded (requests and responses). */
  httpMessages: number;
  reason: string;
}

export interface ReplayTotals {
  scenarios: number;
  same: number;
  differs: number;
  errors: number;
  steps: number;
  differences: number;
  /** Scenarios with traffic that was not replayed. */
  notReplayed: number;
}
