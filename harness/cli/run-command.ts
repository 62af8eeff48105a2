// `keyloop run`: run scenario suites against a token target and write the report.
import type { Command } from 'commander';
import { IAM_TARGET_FORMS, TOKEN_TARGET_FORMS } from '../targets/target-forms.ts';

export interface RunFlags {
  token: string;
  iam: string;
  select: string[];
  profile?: string;
  state?: string;
  reports: string;
  json: boolean;
  list: boolean;
}

export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .description('Run scenario suites against a token target and write a report to reports/<run-id>/ (reports/latest points to it).')
    .option('--token <target>', `token target: ${TOKEN_TARGET_FORMS.join(' | ')}`, 'emulator')
    .option('--iam <target>', `IAM target for the workshop suite: ${IAM_TARGET_FORMS.join(' | ')} (aws: the SDK's credential chain; only resources named keyloop-<run-id>-* are created, and removed at the end)`, 'mock')
    .option('--select <pattern...>', 'scenario ids (glob * allowed), suite names (u2f, ctaphid, workshop), tag:NAME, or a scenario file (path ending .ts); default: all')
    .option('--profile <file>', 'device profile JSON for the emulator (default: fixtures/profiles/default.json)')
    .option('--state <dir>', 'emulator token state directory (default: a temporary one)')
    .option('--reports <dir>', 'where run reports are written', 'reports')
    .option('--json', 'print the run result as JSON on stdout instead of lines', false)
    .option('--list', 'list the selected scenarios and exit', false)
    .addHelpText('after', `
Exit codes: 0 all passed, 1 a scenario failed or errored, 2 could not run.
Examples:
  keyloop run                                  all suites on the in-process emulator
  keyloop run --select u2f.counter-*           one group of scenarios
  keyloop run --select tag:negative --json     machine-readable output
  keyloop run --select scenarios/workshop/console.ts   the scenarios one file exports
  keyloop run --token hid --iam aws:lab --select workshop    a physical key and a real account`)
    .action(async (flags: RunFlags) => {
      const { run } = await import('./run-action.ts');
      process.exitCode = await run(flags);
    });
}
