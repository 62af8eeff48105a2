// Writes the four renderings of one report into its run directory: report.json, junit.xml,
// report.md and report.html (which reads the run's transcript when one is there). Shared by
// `keyloop run` (a new run) and `keyloop report` (re-rendering an old one).
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Report } from './model.ts';
import { readTranscripts } from './read-transcript.ts';
import { renderHtml } from './render-html.ts';
import { renderJson } from './render-json.ts';
import { renderJunit } from './render-junit.ts';
import { renderMarkdown } from './render-markdown.ts';

export const REPORT_FILES = { json: 'report.json', junit: 'junit.xml', markdown: 'report.md', html: 'report.html' } as const;

export interface WriteReportFilesOptions {
  /** The run directory; it must exist. */
  dir: string;
  report: Report;
}

export async function writeReportFiles({ dir, report }: WriteReportFilesOptions): Promise<void> {
  const transcripts = await readTranscripts(dir, report.scenarios);
  await Promise.all([
    writeFile(join(dir, REPORT_FILES.json), renderJson(report)),
    writeFile(join(dir, REPORT_FILES.junit), renderJunit(report)),
    writeFile(join(dir, REPORT_FILES.markdown), renderMarkdown(report)),
    writeFile(join(dir, REPORT_FILES.html), renderHtml({ report, transcripts })),
  ]);
}
