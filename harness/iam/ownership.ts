// What marks an IAM resource as keyloop's: a name `keyloop-<runId>-<base>`, its path (/keyloop/
// for policies, / for users) and the tags keyloop:run=<runId> and keyloop:created-by=keyloop. The
// harness creates only such resources, and removes nothing that does not carry all three marks, so
// that a run against a real account can never delete what a person or another tool made.
import type { Tag } from '@aws-sdk/client-iam';

export const KEYLOOP_PATH = '/keyloop/';
/**
 * Users stay at the root path: a user's path is part of its ARN (user/keyloop/NAME), and policies
 * written as `arn:aws:iam::*:user/${aws:username}`, the workshop's among them, match only users at /.
 */
export const USER_PATH = '/';
export const NAME_PREFIX = 'keyloop-';
export const RUN_TAG = 'keyloop:run';
export const CREATED_BY_TAG = 'keyloop:created-by';
export const CREATED_BY = 'keyloop';

/** Run ids go into names that IAM limits to `[\w+=,.@-]`; keyloop's are like 20261128-173012-4821. */
const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$/;

/** A resource the harness will not create or change (not its own, bad run id, cleanup begun). */
export class IamResourceError extends Error {
  override readonly name = 'IamResourceError';
}

export function checkRunId(runId: string): string {
  if (!RUN_ID.test(runId)) throw new IamResourceError(`run id '${runId}' must be 1 to 32 letters, digits, '.', '_' or '-', starting with a letter or digit`);
  return runId;
}

/** `keyloop-<runId>-`: the start of every name a run gives its resources. */
export const runPrefix = (runId: string): string => `${NAME_PREFIX}${runId}-`;

export const keyloopTags = (runId: string): Tag[] => [
  { Key: RUN_TAG, Value: runId },
  { Key: CREATED_BY_TAG, Value: CREATED_BY },
];

export interface MarkedEntity {
  kind: 'user' | 'policy';
  /** User or policy name. */
  name: string;
  path: string;
  tags: readonly Tag[];
}

/**
 * Why an entity is not keyloop's (for one run, or for any run when `runId` is undefined), or
 * undefined when it carries every mark.
 */
export function ownershipProblem({ kind, name, path, tags }: MarkedEntity, runId?: string): string | undefined {
  const tag = (key: string): string | undefined => tags.find((each) => each.Key === key)?.Value;
  const expectedPath = kind === 'user' ? USER_PATH : KEYLOOP_PATH;
  if (path !== expectedPath) return `its path is ${path}, not ${expectedPath}`;
  if (tag(CREATED_BY_TAG) !== CREATED_BY) return `it has no ${CREATED_BY_TAG}=${CREATED_BY} tag`;
  const run = tag(RUN_TAG);
  if (run === undefined) return `it has no ${RUN_TAG} tag`;
  if (runId !== undefined && run !== runId) return `it belongs to run ${run}, not ${runId}`;
  if (!name.startsWith(runPrefix(run))) return `its name does not start with ${runPrefix(run)}, as its ${RUN_TAG} tag says it should`;
  return undefined;
}
