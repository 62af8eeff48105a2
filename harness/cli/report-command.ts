// `keyloop report`: re-render a finished run's reports from its report.json, or compare two
// runs (emulator versus physical key, mock versus real account) side by side.
import type { Command } from 'commander';
import { join, relative } from 'node:path';
import { compareRuns } from '../report/compare.ts';
import type { ScenarioPair } from '../report/comparison-model.ts';
import { describeTotals, OUTCOME_LABEL } from '../report/format.ts';
import { loadRun } from '../report/load-run.ts';
import { ReportInputError } from '../report/read-report.ts';
import { COMPARISON_FILES, writeComparisonFiles } from '../report/write-comparison-files.ts';
import { REPORT_FILES, writeReportFiles } from '../report/write-report-files.ts';
import { ExitCode } from './exit-codes.ts';

interface ReportFlags {
  compare: boolean;
  out?: string;
  reports: string;
}

/** Differing scenarios listed on the terminal; the files have all of them. */
const LISTED_DIFFERENCES = 10;

export function registerReportCommand(program: Command): void {
  program
    .command('report')
    .description("Re-render a run's reports (HTML, Markdown, JUnit, JSON) from its report.json, or compare two runs.")
    .argument('[runs...]', 'run ids under --reports (latest too), run directories or report.json files; default: latest')
    .option('--compare', 'compare two runs, A then B: writes compare.html, compare.md and compare.json', false)
    .option('--out <dir>', 'where --compare writes (default: <reports>/compare-<A>-vs-<B>)')
    .option('--reports <dir>', 'where run ids are looked up', 'reports')
    .addHelpText('after', `
Exit codes: 0 written, 2 a run is missing or its report.json is not valid JSON or does not match
schemas/report.schema.json.
Examples:
  keyloop report                                     re-render the latest run
  keyloop report 20261128-173012-4821                re-render one run
  keyloop report --compare RUN_EMULATOR RUN_KEY      emulator versus physical key`)
    .action(async (runs: string[], flags: ReportFlags) => {
      process.exitCode = await report(runs, flags);
    });
}

async function report(runs: string[], flags: ReportFlags): Promise<number> {
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
