// Lines up one scenario's recorded steps with what the target answered, step by step, without
// any I/O: it maps key handles (the target's REGISTER answer replaces the recorded one in later
// commands), keeps each side's memory of credentials and counters, and turns both answers into
// facts and their differences.
import { toHex } from '../util/bytes.ts';
import { isWaitingForTouch, type RecordedStep } from './collapse-retries.ts';
import { describeResponse, emptyMemory, remember, type Answer } from './describe-response.ts';
import { diffFields } from './fields.ts';
import { substituteKeyHandle, type SubstitutedCommand } from './key-handle-map.ts';
import type { ScenarioReplay, StepReplay } from './model.ts';
import { commandLabel, readU2fRequest } from './u2f-request.ts';

/** What the target did with one step. */
export interface ReplayedStep {
  answer: Answer;
  /** Times the command was sent (more than 1 while the target answered 6985). */
  attempts: number;
  durationMs: number;
}

export class ScenarioComparison {
  readonly #id: string;
  /** Recorded key handle (hex) to the target's. */
  readonly #keyHandles = new Map<string, Uint8Array>();
  readonly #recorded = emptyMemory();
  readonly #replayed = emptyMemory();
  readonly #steps: StepReplay[] = [];

  constructor(id: string) {
    this.#id = id;
  }

  /** The command to send for a recorded one: recorded key handles replaced by the target's. */
  commandFor(recorded: RecordedStep): SubstitutedCommand {
    return substituteKeyHandle(recorded.command, this.#keyHandles);
  }

  /** Compare a recorded step with the target's answer to `sent`. */
  add(recorded: RecordedStep, sent: SubstitutedCommand, replayed: ReplayedStep): StepReplay {
    const recordedAnswer: Answer = recorded.response
      ? { kind: 'response', bytes: recorded.response }
      : { kind: 'none', reason: 'none recorded' };
    const before = describeResponse(readU2fRequest(recorded.command), recordedAnswer, this.#recorded);
    const after = describeResponse(readU2fRequest(sent.command), replayed.answer, this.#replayed);
    remember(this.#recorded, before);
    remember(this.#replayed, after);
    if (before.credential && after.credential) this.#keyHandles.set(toHex(before.credential.keyHandle), after.credential.keyHandle);

    const notes = isWaitingForTouch(recorded.response) ? [] : presenceNotes(recorded.attempts, replayed.attempts);
    const timingRatio = ratio(replayed.durationMs, recorded.durationMs);
    const step: StepReplay = {
      index: this.#steps.length + 1,
      command: commandLabel(recorded.command),
      ...(recorded.step === undefined ? {} : { step: recorded.step }),
      lines: recorded.lines,
      keyHandleSubstituted: sent.substituted,
      recorded: { attempts: recorded.attempts, ...(recorded.durationMs === undefined ? {} : { durationMs: recorded.durationMs }), fields: before.fields },
      replayed: { attempts: replayed.attempts, durationMs: replayed.durationMs, fields: after.fields },
      differences: diffFields(before.fields, after.fields),
      notes,
      ...(timingRatio === undefined ? {} : { timingRatio }),
    };
    this.#steps.push(step);
    return step;
  }

  result(): ScenarioReplay {
    const steps = [...this.#steps];
    const median = medianOf(steps.flatMap((step) => (step.timingRatio === undefined ? [] : [step.timingRatio])));
    return {
      id: this.#id,
      outcome: steps.some((step) => step.differences.length > 0) ? 'differs' : 'same',
      steps,
      ...(median === undefined ? {} : { medianTimingRatio: median }),
    };
  }
}

/**
 * Presence behaviour is noted, never a difference by itself: only the final answer counts. A step
 * that ended in 6985 when recorded is sent once (see send-step.ts), so its attempts say nothing.
 */
function presenceNotes(recorded: number, replayed: number): string[] {
  if (recorded === replayed) return [];
  const describe = (attempts: number) => (attempts === 1 ? 'answered at once' : `answered 6985 ${attempts - 1} time(s) first`);
  return [`presence: the recorded token ${describe(recorded)}, the target ${describe(replayed)}`];
}

function ratio(replayedMs: number, recordedMs: number | undefined): number | undefined {
  if (recordedMs === undefined || recordedMs <= 0) return undefined;
  return twoDigits(replayedMs / recordedMs);
}

function medianOf(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return twoDigits(sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2);
}

/** Two significant digits: a ratio of 0.004 stays readable, 56.3 becomes 56. */
function twoDigits(value: number): number {
  return Number(value.toPrecision(2));
}
