// What cleanup did, step by step, as data: the runner puts it in the report, `keyloop cleanup`
// prints it. A step is one IAM call (or, in a dry run, one call it would make).

export type CleanupOutcome =
  /** The call succeeded. */
  | 'done'
  /** Dry run: the call would be made. */
  | 'planned'
  /** Already gone (NoSuchEntity): nothing left to do. */
  | 'gone'
  /** The call failed; `reason` has AWS's code and message. */
  | 'failed'
  /** Not keyloop's (or not this run's): left alone; `reason` says which mark is missing. */
  | 'refused';

export interface CleanupStep {
  /** The IAM action, e.g. `DeleteUser`, or the listing that failed, e.g. `ListUserTags`. */
  action: string;
  /** ARN of the user or policy the step is about (the user's name when it could not be read). */
  resource: string;
  /** What else the call names: the policy detached, the access key or MFA device deleted, … */
  detail?: string;
  outcome: CleanupOutcome;
  reason?: string;
}

export interface CleanupReport {
  steps: CleanupStep[];
}

export function countOutcomes({ steps }: CleanupReport): Record<CleanupOutcome, number> {
  const counts: Record<CleanupOutcome, number> = { done: 0, planned: 0, gone: 0, failed: 0, refused: 0 };
  for (const step of steps) counts[step.outcome]++;
  return counts;
}

const REMOVALS = new Set(['DeleteUser', 'DeletePolicy']);

/** Users and policies removed (or, in a dry run, to be removed): the ARNs of their Delete steps. */
export const removedResources = ({ steps }: CleanupReport): string[] =>
  steps.filter((step) => REMOVALS.has(step.action) && (step.outcome === 'done' || step.outcome === 'planned')).map((step) => step.resource);

const plural = (count: number, noun: string, nouns = `${noun}s`): string => `${count} ${count === 1 ? noun : nouns}`;

/** `removed 2 users and 1 policy, 1 step failed, 1 refused (not keyloop's)`. */
export function summarizeCleanup(report: CleanupReport): string {
  const counts = countOutcomes(report);
  const removed = removedResources(report);
  const users = removed.filter((arn) => arn.includes(':user/')).length;
  const policies = removed.length - users;
  const parts = [`${counts.planned > 0 ? 'would remove' : 'removed'} ${plural(users, 'user')} and ${plural(policies, 'policy', 'policies')}`];
  if (counts.failed) parts.push(`${plural(counts.failed, 'step')} failed`);
  if (counts.refused) parts.push(`${counts.refused} refused (not keyloop's)`);
  return parts.join(', ');
}

export function formatCleanupStep({ action, resource, detail, outcome, reason }: CleanupStep): string {
  const verb = { done: 'done   ', planned: 'would  ', gone: 'gone   ', failed: 'FAILED ', refused: 'refused' }[outcome];
  return `${verb} ${action.padEnd(22)} ${resource}${detail ? `  ${detail}` : ''}${reason ? `  (${reason})` : ''}`;
}
