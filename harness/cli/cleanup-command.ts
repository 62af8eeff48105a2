// `keyloop cleanup`: remove what interrupted runs left in an AWS account (a kill -9 gives the
// harness no chance to clean up): users and policies under path /keyloop/ with keyloop's tags,
// printing each IAM call, or with --dry-run each call it would make.
import type { Command } from 'commander';
import { CREATED_BY, CREATED_BY_TAG, KEYLOOP_PATH } from '../iam/ownership.ts';

interface CleanupFlags {
  iam: string;
  dryRun: boolean;
  run?: string;
}

export interface CleanupLeftoversOptions {
  /** `aws` or `aws:PROFILE`. */
  spec: string;
  dryRun?: boolean;
  /** Only this run's resources. */
  runId?: string;
  /** Where the steps go; console.log by default. */
  print?: (line: string) => void;
  /** Where a failure to start goes; console.error by default. */
  printError?: (line: string) => void;
}

/** Where the command prints (the console by default; tests capture it). */
export type CleanupOutput = Pick<CleanupLeftoversOptions, 'print' | 'printError'>;

export function registerCleanupCommand(program: Command, output: CleanupOutput = {}): void {
  program
    .command('cleanup')
    .description(`Remove IAM users and policies that interrupted keyloop runs left in an account: everything under path ${KEYLOOP_PATH} tagged ${CREATED_BY_TAG}=${CREATED_BY}.`)
    .requiredOption('--iam <target>', 'the account: aws | aws:PROFILE (the AWS SDK\'s credential chain)')
    .option('--dry-run', 'print what would be removed, change nothing', false)
    .option('--run <run-id>', 'only the resources of this run (their names start with keyloop-<run-id>-)')
    .addHelpText('after', `
Exit codes: 0 nothing left (or dry run), 1 a removal failed, 2 could not run.
Resources under ${KEYLOOP_PATH} without keyloop's name prefix and tags are listed as refused and never touched.`)
    .action(async (flags: CleanupFlags) => {
      const { cleanupLeftovers } = await import('./cleanup-action.ts');
      process.exitCode = await cleanupLeftovers({ spec: flags.iam, dryRun: flags.dryRun, runId: flags.run, ...output });
    });
}

