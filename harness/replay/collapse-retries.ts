// A client waiting for a touch resends the same command while the token answers 6985
// (FIDO U2F Raw Message Formats v1.2 §5.1, "Test of User Presence Required"). Replay treats such a
// run as one step: what matters is how it ended, not how many polls the touch took.
import { StatusWord } from '../../emulator/token/index.ts';
import { splitResponse } from '../u2f/apdu.ts';
import type { RecordedExchange } from './recorded-traffic.ts';

export interface RecordedStep {
  command: Uint8Array;
  /** The final answer; absent when the recording has none. */
  response?: Uint8Array;
  step?: string;
  /** How many times the command was sent. */
  attempts: number;
  /** From the first command to the final answer. */
  durationMs?: number;
  lines: { from: number; to: number };
}

export function isWaitingForTouch(response: Uint8Array | undefined): boolean {
  return response !== undefined && response.length >= 2 && splitResponse(response).sw === StatusWord.CONDITIONS_NOT_SATISFIED;
}

/** Consecutive identical commands, each but the last answered 6985, become one step. */
export function collapseRetries(exchanges: readonly RecordedExchange[]): RecordedStep[] {
  const steps: RecordedStep[] = [];
  let first: RecordedExchange | undefined;
  let previous: RecordedExchange | undefined;
  let attempts = 0;
  const close = () => {
    if (!first || !previous) return;
    // Transcript times are rounded to microseconds; so is their difference.
    const durationMs = previous.answeredAt === undefined ? undefined : Math.round((previous.answeredAt - first.sentAt) * 1000) / 1000;
    steps.push({
      command: first.command,
      response: previous.response,
      step: first.step,
      attempts,
      durationMs,
      lines: { from: first.lines.from, to: previous.lines.to },
    });
  };
  for (const exchange of exchanges) {
    const retry = previous !== undefined && isWaitingForTouch(previous.response) && Buffer.compare(previous.command, exchange.command) === 0;
    if (!retry) {
      close();
      first = exchange;
      attempts = 0;
    }
    previous = exchange;
    attempts++;
  }
  close();
  return steps;
}
