// Writes a run's results under reports/<run-id>/ and points reports/latest at it.
import { mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunResult } from '../runner/index.ts';

export const REPORT_FORMAT_VERSION = 1;

export async function writeRunReport(run: RunResult, reportsDir: string): Promise<string> {
  const dir = join(reportsDir, run.runId);
  await mkdir(dir, { recursive: true });
  const report = { formatVersion: REPORT_FORMAT_VERSION, tool: 'keyloop', ...run };
  await writeFile(join(dir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
  const latest = join(reportsDir, 'latest');
  await rm(latest, { force: true, recursive: false }).catch(() => undefined);
  await symlink(run.runId, latest);
  return dir;
}
