// `keyloop cleanup`: remove what interrupted runs left in an AWS account (a kill -9 gives the
// harness no chance to clean up): users and policies under path /keyloop/ with keyloop's tags,
// printing each IAM call, or with --dry-run each call it would make.
import { IAMClient } from '@aws-sdk/client-iam';
import type { Command } from 'commander';
import pc from 'picocolors';
import { countOutcomes, formatCleanupStep, summarizeCleanup, type CleanupStep } from '../iam/cleanup-report.ts';
import { removeLeftovers } from '../iam/leftovers.ts';
import { checkRunId, CREATED_BY, CREATED_BY_TAG, KEYLOOP_PATH } from '../iam/ownership.ts';
import { connectAwsIam } from '../targets/aws-iam-target.ts';
import { parseIamTarget } from '../targets/iam-target.ts';
import { ExitCode } from './exit-codes.ts';

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

const COLOR: Record<CleanupStep['outcome'], (text: string) => string> = {
  done: pc.green,
  planned: pc.cyan,
  gone: pc.dim,
  failed: pc.red,
  refused: pc.yellow,
};

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
      process.exitCode = await cleanupLeftovers({ spec: flags.iam, dryRun: flags.dryRun, runId: flags.run, ...output });
    });
}

/** The command's work, returning its exit code. */
export async function cleanupLeftovers({ spec, dryRun = false, runId, print = (line) => console.log(line), printError = (line) => console.error(line) }: CleanupLeftoversOptions): Promise<number> {
  let iam: IAMClient;
  let header: string;
  try {
    const target = parseIamTarget(spec);
    if (target.kind !== 'aws') throw new Error(`the ${spec} target keeps nothing between runs; cleanup is for aws and aws:PROFILE`);
    if (runId !== undefined) checkRunId(runId);
    const connection = await connectAwsIam({ profile: target.profile });
    const { accountId, principalArn, endpoint } = connection.description;
    header = `keyloop cleanup: account ${accountId} as ${principalArn} (${endpoint})${runId ? `, run ${runId}` : ''}${dryRun ? ', dry run' : ''}`;
    iam = new IAMClient(connection.clientConfig());
  } catch (error) {
    printError(`keyloop cleanup: ${(error as Error).message}`);
    return ExitCode.COULD_NOT_RUN;
  }
  try {
    print(header);
    const report = await removeLeftovers({ iam, runId, dryRun, onStep: (step) => print(`  ${COLOR[step.outcome](formatCleanupStep(step))}`) });
    if (report.steps.length === 0) print(`  nothing under ${KEYLOOP_PATH}`);
    print(summarizeCleanup(report));
    return countOutcomes(report).failed > 0 ? ExitCode.FAIL : ExitCode.PASS;
  } finally {
    iam.destroy();
  }
}
