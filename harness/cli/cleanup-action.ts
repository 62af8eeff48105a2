// `keyloop cleanup`'s work, loaded only when the command runs (it needs the AWS SDK).
import { IAMClient } from '@aws-sdk/client-iam';
import pc from 'picocolors';
import { countOutcomes, formatCleanupStep, summarizeCleanup, type CleanupStep } from '../iam/cleanup-report.ts';
import { removeLeftovers } from '../iam/leftovers.ts';
import { checkRunId, KEYLOOP_PATH } from '../iam/ownership.ts';
import { connectAwsIam } from '../targets/aws-iam-target.ts';
import { parseIamTarget } from '../targets/iam-target.ts';
import type { CleanupLeftoversOptions } from './cleanup-command.ts';
import { ExitCode } from './exit-codes.ts';

const COLOR: Record<CleanupStep['outcome'], (text: string) => string> = {
  done: pc.green,
  planned: pc.cyan,
  gone: pc.dim,
  failed: pc.red,
  refused: pc.yellow,
};

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
