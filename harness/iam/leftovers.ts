// Leftovers of runs that could not clean up (a kill -9, a lost connection, a crashed machine):
// every user and customer managed policy under path /keyloop/ that carries keyloop's marks, of one
// run (its names start with keyloop-<runId>-) or of all. What sits there without every mark is
// reported as refused and left alone.
import { paginateListPolicies, paginateListUsers, type IAMClient } from '@aws-sdk/client-iam';
import type { CleanupReport, CleanupStep } from './cleanup-report.ts';
import { KEYLOOP_PATH, NAME_PREFIX, runPrefix } from './ownership.ts';
import { listing, removePolicy, removeUser, type TeardownContext } from './teardown.ts';

export interface RemoveLeftoversOptions {
  /** A client with the account's admin credentials. */
  iam: IAMClient;
  /** Only this run's resources; every keyloop run's when omitted. */
  runId?: string;
  /** List what would be removed, change nothing. */
  dryRun?: boolean;
  /** Hears every step as it happens (to print it). */
  onStep?: (step: CleanupStep) => void;
}

export async function removeLeftovers({ iam, runId, dryRun = false, onStep }: RemoveLeftoversOptions): Promise<CleanupReport> {
  const steps: CleanupStep[] = [];
  const ctx: TeardownContext = {
    iam,
    dryRun,
    runId,
    record: (step) => {
      steps.push(step);
      onStep?.(step);
    },
  };
  // Listed in full before anything is removed, so that removals cannot shift the pages.
  const candidate = (name: string): boolean => name.startsWith(runId === undefined ? NAME_PREFIX : runPrefix(runId));
  // Users live at / (see USER_PATH), so they are found by name; their tags are checked before removal.
  const users = await listing(ctx, 'ListUsers', `names ${NAME_PREFIX}*`, async () => {
    const names: string[] = [];
    for await (const page of paginateListUsers({ client: iam }, {})) names.push(...(page.Users ?? []).map((user) => user.UserName!));
    return names.filter(candidate);
  });
  const policies = await listing(ctx, 'ListPolicies', `path ${KEYLOOP_PATH}`, async () => {
    const arns: string[] = [];
    for await (const page of paginateListPolicies({ client: iam }, { Scope: 'Local', PathPrefix: KEYLOOP_PATH })) {
      arns.push(...(page.Policies ?? []).filter((policy) => candidate(policy.PolicyName!)).map((policy) => policy.Arn!));
    }
    return arns;
  });
  for (const userName of users) await removeUser(ctx, userName);
  for (const policyArn of policies) await removePolicy(ctx, policyArn);
  return { steps };
}
