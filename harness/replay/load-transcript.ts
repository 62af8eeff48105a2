// Everything `keyloop replay` needs from the recorded side before it touches a token: the
// transcript found, read, cut into scenarios and narrowed to the selection. Fails with a
// ReplayError saying what is wrong, so the command can exit 2 before opening the target.
import { readTranscript } from '../report/read-transcript.ts';
import { locateTranscript } from './locate-transcript.ts';
import type { RecordedRun } from './model.ts';
import { recordedTraffic, type RecordedTraffic } from './recorded-traffic.ts';
import { ReplayError } from './replay-error.ts';
import { selectTraffic } from './select-traffic.ts';

export interface LoadTranscriptOptions {
  /** A run id, a run directory, or a path to a transcript file. */
  transcript: string;
  /** Where run ids are looked up. */
  reportsDir: string;
  /** `--select` patterns; every scenario when empty. */
  select?: readonly string[];
}

export interface LoadedTranscript {
  recorded: RecordedRun;
  traffic: RecordedTraffic;
}

export async function loadTranscript({ transcript, reportsDir, select = [] }: LoadTranscriptOptions): Promise<LoadedTranscript> {
  const { path, runId } = await locateTranscript({ transcript, reportsDir });
  const read = await readTranscript(path);
  if (!read) throw new ReplayError('not-found', `${path} disappeared while it was being read`);
  if (read.lines.length === 0) {
    throw new ReplayError('bad-transcript', `${path}: no transcript entries (${read.unreadable} unreadable lines)`);
  }
  const everything = recordedTraffic(read.lines);
  const traffic = selectTraffic(everything, select);
  if (traffic.scenarios.length === 0) {
    const matched = traffic.notReplayed.length;
    const why = select.length > 0 && matched === 0
      ? `no recorded scenario matches ${select.join(' ')}`
      : `none of the ${matched} scenarios has U2F APDUs (${traffic.notReplayed.map((entry) => entry.scenario).join(', ')})`;
    throw new ReplayError('nothing-to-replay', `${path}: nothing to replay: ${why}`);
  }
  return { recorded: { runId, transcript: path, unreadableLines: read.unreadable }, traffic };
}
