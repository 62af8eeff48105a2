// Finds the transcript `keyloop replay TRANSCRIPT` means: a run id under the reports directory
// (`latest` included), a run directory, or a transcript file. The run id names the replay's
// own report directory, so a `latest` link is resolved to the run it points at.
import { realpath, stat } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { TRANSCRIPT_FILE } from '../report/transcript-format.ts';
import { ReplayError } from './replay-error.ts';

export interface LocateTranscriptOptions {
  /** A run id, a run directory, or a path to a transcript file. */
  transcript: string;
  /** Where run ids are looked up. */
  reportsDir: string;
}

export interface LocatedTranscript {
  /** The transcript file, links resolved. */
  path: string;
  /** The recorded run's id: its directory's name, or the file's name outside a run directory. */
  runId: string;
}

export async function locateTranscript({ transcript, reportsDir }: LocateTranscriptOptions): Promise<LocatedTranscript> {
  for (const candidate of [transcript, join(reportsDir, transcript)]) {
    const kind = await stat(candidate).then((stats) => (stats.isDirectory() ? 'dir' : 'file'), () => undefined);
    if (kind === 'file') return located(await realpath(candidate));
    if (kind === 'dir') {
      const file = join(await realpath(candidate), TRANSCRIPT_FILE);
      if (await stat(file).then((stats) => stats.isFile(), () => false)) return located(file);
      throw new ReplayError('not-found', `${candidate} has no ${TRANSCRIPT_FILE}: was the run recorded with a transcript?`);
    }
  }
  throw new ReplayError('not-found', `no transcript '${transcript}': not a run id under ${reportsDir}/, a run directory, or a ${TRANSCRIPT_FILE} file`);
}

function located(path: string): LocatedTranscript {
  const name = basename(path);
  const runId = name === TRANSCRIPT_FILE ? basename(dirname(path)) : basename(name, extname(name));
  return { path, runId };
}
