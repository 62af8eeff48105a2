// The result model of a run: what the runner produces and the CLI and reports consume.
import type { TokenDescription } from '../targets/token-target.ts';
import type { IamDescription } from '../targets/iam-target.ts';

export type Outcome = 'pass' | 'fail' | 'skip' | 'error';

export interface StepResult {
  name: string;
  durationMs: number;
  outcome: Exclude<Outcome, 'skip'>;
}

export interface ScenarioResult {
  id: string;
  title: string;
  suite: string;
  tags: string[];
  outcome: Outcome;
  /** Why it failed, errored or was skipped. */
  reason?: string;
  expected?: string;
  actual?: string;
  durationMs: number;
  steps: StepResult[];
  observations: string[];
  /** Lines of the run's transcript this scenario produced (1-based, inclusive). */
  transcript?: { file: string; from: number; to: number };
}

export interface RunResult {
  runId: string;
  startedAt: string;
  durationMs: number;
  token: TokenDescription;
  /** The IAM target, when the run had one. */
  iam?: IamDescription;
  scenarios: ScenarioResult[];
  totals: Record<Outcome, number>;
}

export function countOutcomes(results: ScenarioResult[]): Record<Outcome, number> {
  const totals: Record<Outcome, number> = { pass: 0, fail: 0, skip: 0, error: 0 };
  for (const result of results) totals[result.outcome]++;
  return totals;
}
