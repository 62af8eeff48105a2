// Reads a run's transcript files (JSON lines, see transcript-format.ts) and cuts the excerpt of
// one scenario out of them, by the scenario's line range or, without one, by its id.
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { ScenarioReport } from './model.ts';
import { TRANSCRIPT_FILE, type TranscriptEntry } from './transcript-format.ts';

export interface TranscriptLine {
  /** 1-based line number in its file. */
  line: number;
  entry: TranscriptEntry;
}

export interface Transcript {
  file: string;
  lines: TranscriptLine[];
  /** Lines that were not a transcript entry (a truncated last line after a crash, say). */
  unreadable: number;
}

/** Every transcript file a report's scenarios name, plus transcript.jsonl; files that do not exist are left out. */
export async function readTranscripts(runDir: string, scenarios: ScenarioReport[]): Promise<Map<string, Transcript>> {
  const files = new Set([TRANSCRIPT_FILE, ...scenarios.flatMap((scenario) => (scenario.transcript ? [scenario.transcript.file] : []))]);
  const transcripts = new Map<string, Transcript>();
  for (const file of files) {
    // Only files in the run directory itself: a report must not make us read elsewhere.
    const transcript = await readTranscript(join(runDir, basename(file)));
    if (transcript) transcripts.set(file, transcript);
  }
  return transcripts;
}

export async function readTranscript(path: string): Promise<Transcript | undefined> {
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (text === undefined) return undefined;
  return parseTranscript(basename(path), text);
}

function parseTranscript(file: string, text: string): Transcript {
  const lines: TranscriptLine[] = [];
  let unreadable = 0;
  text.split('\n').forEach((raw, index) => {
    if (raw.trim() === '') return;
    const entry = parseEntry(raw);
    if (entry) lines.push({ line: index + 1, entry });
    else unreadable++;
  });
  return { file, lines, unreadable };
}

function parseEntry(raw: string): TranscriptEntry | undefined {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return undefined;
  }
  const entry = value as Partial<TranscriptEntry> | null;
  const valid = typeof entry === 'object' && entry !== null
    && typeof entry.t === 'number' && typeof entry.scenario === 'string' && typeof entry.summary === 'string'
    && (entry.kind === 'hid' || entry.kind === 'apdu' || entry.kind === 'http')
    && (entry.dir === 'out' || entry.dir === 'in')
    && (entry.hex === undefined || (typeof entry.hex === 'string' && /^(?:[0-9a-f]{2})*$/i.test(entry.hex)));
  return valid ? (entry as TranscriptEntry) : undefined;
}

/** The lines of one scenario: its recorded range when it has one, else every line carrying its id. */
export function scenarioExcerpt(transcripts: ReadonlyMap<string, Transcript>, scenario: ScenarioReport): TranscriptLine[] {
  if (scenario.transcript) {
    const { file, from, to } = scenario.transcript;
    return (transcripts.get(file)?.lines ?? []).filter(({ line }) => line >= from && line <= to);
  }
  return (transcripts.get(TRANSCRIPT_FILE)?.lines ?? []).filter(({ entry }) => entry.scenario === scenario.id);
}
