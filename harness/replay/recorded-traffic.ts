// Cuts a transcript into what replay can send again: per scenario, in order, the recorded
// command APDUs paired with the responses that followed them. HID reports of a scenario that has
// APDUs only carried those APDUs; a scenario with HID reports and no APDUs worked at the CTAPHID
// level and is listed as not replayed, as are HTTP messages.
import type { TranscriptLine } from '../report/read-transcript.ts';
import type { NotReplayed } from './model.ts';
import { ReplayError } from './replay-error.ts';

export interface RecordedExchange {
  command: Uint8Array;
  /** Absent when the recording has no answer (the request failed below the U2F layer). */
  response?: Uint8Array;
  /** The scenario step running at the time. */
  step?: string;
  /** Transcript times (ms since the run started) of the command and of its answer. */
  sentAt: number;
  answeredAt?: number;
  /** Transcript lines of the command and its answer. */
  lines: { from: number; to: number };
}

export interface RecordedScenario {
  id: string;
  exchanges: RecordedExchange[];
}

export interface RecordedTraffic {
  /** Scenarios with APDUs, in the order they first appear. */
  scenarios: RecordedScenario[];
  notReplayed: NotReplayed[];
}

export const NOT_REPLAYED_REASONS = {
  hid: 'CTAPHID-level scenario: replay sends APDUs, and raw reports carry the channel id and INIT nonce of the recorded run',
  http: 'HTTP messages (IAM, console) are not replayed: replay targets tokens',
} as const;

interface Tally {
  exchanges: RecordedExchange[];
  /** An 'out' APDU still waiting for its 'in'. */
  pending?: RecordedExchange;
  hid: number;
  http: number;
}

export function recordedTraffic(lines: readonly TranscriptLine[]): RecordedTraffic {
  const tallies = new Map<string, Tally>();
  for (const { line, entry } of lines) {
    let tally = tallies.get(entry.scenario);
    if (!tally) tallies.set(entry.scenario, (tally = { exchanges: [], hid: 0, http: 0 }));
    if (entry.kind === 'hid') tally.hid++;
    else if (entry.kind === 'http') tally.http++;
    else {
      if (entry.hex === undefined) throw new ReplayError('bad-transcript', `line ${line}: APDU entry without hex bytes`);
      const bytes = new Uint8Array(Buffer.from(entry.hex, 'hex'));
      if (entry.dir === 'out') {
        tally.pending = { command: bytes, step: entry.step, sentAt: entry.t, lines: { from: line, to: line } };
        tally.exchanges.push(tally.pending);
      } else {
        const exchange = tally.pending;
        if (!exchange) throw new ReplayError('bad-transcript', `line ${line}: response APDU in ${entry.scenario} without a command before it`);
        exchange.response = bytes;
        exchange.answeredAt = entry.t;
        exchange.lines.to = line;
        tally.pending = undefined;
      }
    }
  }

  const scenarios: RecordedScenario[] = [];
  const notReplayed: NotReplayed[] = [];
  for (const [id, { exchanges, hid, http }] of tallies) {
    const replayed = exchanges.length > 0;
    if (replayed) scenarios.push({ id, exchanges });
    const hidReports = replayed ? 0 : hid;
    const reasons = [hidReports > 0 && NOT_REPLAYED_REASONS.hid, http > 0 && NOT_REPLAYED_REASONS.http].filter((reason) => reason !== false);
    if (reasons.length > 0) notReplayed.push({ scenario: id, hidReports, httpMessages: http, reason: reasons.join('; ') });
  }
  return { scenarios, notReplayed };
}
