// `keyloop report`'s work, loaded only when the command runs.
import { join, relative } from 'node:path';
import { compareRuns } from '../report/compare.ts';
import type { ScenarioPair } from '../report/comparison-model.ts';
import { describeTotals, OUTCOME_LABEL } from '../report/format.ts';
import { loadRun } from '../report/load-run.ts';
import { ReportInputError } from '../report/read-report.ts';
import { COMPARISON_FILES, writeComparisonFiles } from '../report/write-comparison-files.ts';
import { REPORT_FILES, writeReportFiles } from '../report/write-report-files.ts';
import { ExitCode } from './exit-codes.ts';
import type { ReportFlags } from './report-command.ts';

/** Differing scenarios listed on the terminal; the files have all of them. */
const LISTED_DIFFERENCES = 10;

export async function report(runs: string[], flags: ReportFlags): Promise<number> {
  const usage = flags.compare
    ? runs.length === 2 ? undefined : `--compare takes two runs, A and B; got ${runs.length}`
    : runs.length > 1 ? `give one run to re-render, or --compare with two; got ${runs.length}` : flags.out ? '--out goes with --compare' : undefined;
  if (usage) {
    console.error(`keyloop report: ${usage}`);
    return ExitCode.COULD_NOT_RUN;
  }
  try {
    if (flags.compare) await compare(runs[0], runs[1], flags);
    else await rerender(runs[0] ?? 'latest', flags.reports);
    return ExitCode.PASS;
  } catch (error) {
    if (!(error instanceof ReportInputError)) throw error;
    console.error(`keyloop report: ${error.message}`);
    return ExitCode.COULD_NOT_RUN;
  }
}

async function rerender(run: string, reportsDir: string): Promise<void> {
  const { dir, report } = await loadRun({ run, reportsDir });
  await writeReportFiles({ dir, report });
  console.log(`keyloop report: ${report.runId}: ${describeTotals(report.totals)}`);
  console.log(`written: ${shown(join(dir, REPORT_FILES.html))} (also ${REPORT_FILES.markdown}, ${REPORT_FILES.junit}, ${REPORT_FILES.json})`);
}

async function compare(runA: string, runB: string, flags: ReportFlags): Promise<void> {
  const a = await loadRun({ run: runA, reportsDir: flags.reports });
  const b = await loadRun({ run: runB, reportsDir: flags.reports });
  const comparison = compareRuns({ a, b });
  const dir = flags.out ?? join(flags.reports, `compare-${a.report.runId}-vs-${b.report.runId}`);
  await writeComparisonFiles({ dir, comparison });

  const { summary } = comparison;
  console.log(`keyloop report: A ${a.report.runId} (${a.report.targets.token.target}) vs B ${b.report.runId} (${b.report.targets.token.target})`);
  console.log(`  outcomes: ${summary.differing} differ, ${summary.same} agree, ${summary.onlyInA} only in A, ${summary.onlyInB} only in B`);
  console.log(`  fields that differ: ${summary.differingTargetFields} of the targets, ${summary.differingResponseFields} in responses${a.transcripts.size && b.transcripts.size ? '' : ' (responses not compared: a transcript is missing)'}`);
  const differing = comparison.scenarios.filter((pair) => pair.status === 'differs');
  for (const pair of differing.slice(0, LISTED_DIFFERENCES)) {
    console.log(`  ${pair.id}: A ${OUTCOME_LABEL[pair.a!.outcome]}, B ${OUTCOME_LABEL[pair.b!.outcome]}${why(pair)}`);
  }
  if (differing.length > LISTED_DIFFERENCES) console.log(`  … and ${differing.length - LISTED_DIFFERENCES} more`);
  console.log(`written: ${shown(join(dir, COMPARISON_FILES.html))} (also ${COMPARISON_FILES.markdown}, ${COMPARISON_FILES.json})`);
}

/** The reason of the side that did not pass, B's first. */
function why(pair: ScenarioPair): string {
  const reason = pair.b!.reason ?? pair.a!.reason;
  return reason ? ` (${reason})` : '';
}

function shown(path: string): string {
  return relative(process.cwd(), path) || path;
}
