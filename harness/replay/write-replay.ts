// Writes a replay's result beside the runs: reports/replay-<run-id>-<target>/replay.json, one
// directory per pair of recorded run and target, so replaying again to the same target replaces it.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { REPLAY_FILE, type ReplayResult } from './model.ts';

export interface WriteReplayOptions {
  result: ReplayResult;
  reportsDir: string;
}

/** Returns the path of replay.json. */
export async function writeReplay({ result, reportsDir }: WriteReplayOptions): Promise<string> {
  const dir = join(reportsDir, replayDirName(result.recorded.runId, result.target.target));
  await mkdir(dir, { recursive: true });
  const file = join(dir, REPLAY_FILE);
  await writeFile(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}

/** `replay-20261128-173012-4821-usbip-127.0.0.1-3240-1-1`: a target string made safe for a directory name. */
export function replayDirName(runId: string, target: string): string {
  const slug = target.replace(/[^A-Za-z0-9.]+/g, '-').replace(/^-+|-+$/g, '');
  return `replay-${runId}-${slug}`;
}
