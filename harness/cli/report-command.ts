// `keyloop report`: re-render a finished run's reports from its report.json, or compare two
// runs (emulator versus physical key, mock versus real account) side by side.
import type { Command } from 'commander';

export interface ReportFlags {
  compare: boolean;
  out?: string;
  reports: string;
}

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
      const { report } = await import('./report-action.ts');
      process.exitCode = await report(runs, flags);
    });
}
