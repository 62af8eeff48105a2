// Finds and loads a finished run for `keyloop report`: by run id under the reports directory
// (`latest` included), by run directory, or by the path of its report.json.
import { stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Report } from './model.ts';
import { readReport, ReportInputError } from './read-report.ts';
import { readTranscripts, type Transcript } from './read-transcript.ts';
import { REPORT_FILES } from './write-report-files.ts';

export interface LoadRunOptions {
  /** A run id, a run directory or a report.json path. */
  run: string;
  /** Where run ids are looked up. */
  reportsDir: string;
}

export interface LoadedRun {
  dir: string;
  report: Report;
  transcripts: Map<string, Transcript>;
}

export async function loadRun({ run, reportsDir }: LoadRunOptions): Promise<LoadedRun> {
  const dir = await locateRunDir(run, reportsDir);
  const report = await readReport(join(dir, REPORT_FILES.json));
  return { dir, report, transcripts: await readTranscripts(dir, report.scenarios) };
}

async function locateRunDir(run: string, reportsDir: string): Promise<string> {
  const kind = async (path: string) => stat(path).then((stats) => (stats.isDirectory() ? 'dir' : 'file'), () => undefined);
  const direct = await kind(run);
  if (direct === 'file') {
    if (basename(run) !== REPORT_FILES.json) throw new ReportInputError('not-found', `${run}: expected a run id, a run directory or a ${REPORT_FILES.json}`);
    return dirname(run);
  }
  if (direct === 'dir') return run;
  const underReports = join(reportsDir, run);
  if ((await kind(underReports)) === 'dir') return underReports;
  throw new ReportInputError('not-found', `no run '${run}': not a run id under ${reportsDir}/, nor a run directory or ${REPORT_FILES.json}`);
}
