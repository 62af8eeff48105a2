// `keyloop run`'s report step: build the report of a finished run, write its files to
// reports/<run-id>/, and point reports/latest at that directory.
import { mkdir, rename, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { buildReport, type RunInput } from './build-report.ts';
import { collectHostFacts, collectToolFacts } from './host-facts.ts';
import { writeReportFiles } from './write-report-files.ts';

const LATEST_LINK = 'latest';

/** Returns the run directory. */
export async function writeRunReport(run: RunInput, reportsDir: string): Promise<string> {
  const dir = join(reportsDir, run.runId);
  await mkdir(dir, { recursive: true });
  const report = buildReport({ run, tool: await collectToolFacts(), host: collectHostFacts() });
  await writeReportFiles({ dir, report });
  await pointLatestAt(reportsDir, run.runId);
  return dir;
}

/** Replace reports/latest atomically: a new link under a temporary name, renamed over the old one. */
async function pointLatestAt(reportsDir: string, runId: string): Promise<void> {
  const temporary = join(reportsDir, `.${LATEST_LINK}-${process.pid}-${Date.now()}`);
  await symlink(runId, temporary);
  try {
    await rename(temporary, join(reportsDir, LATEST_LINK));
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
