// Removing one user or one policy, in the order IAM requires (IAM User Guide, "Delete an IAM
// user": detach managed policies, delete inline policies, leave groups, delete access keys, the
// login profile and MFA devices, then the user; a policy's non-default versions go before the
// policy). What hangs off a user is listed live, so whatever a scenario added with the user's own
// keys or in the console (a security key) goes too. Nothing is touched before the entity's marks
// (ownership.ts) have been read back from IAM; every call becomes a CleanupStep, failures
// included, and teardown goes on past them.
import {
  DeactivateMFADeviceCommand,
  DeleteAccessKeyCommand,
  DeleteLoginProfileCommand,
  DeletePolicyCommand,
  DeletePolicyVersionCommand,
  DeleteUserCommand,
  DeleteUserPolicyCommand,
  DetachUserPolicyCommand,
  GetLoginProfileCommand,
  GetPolicyCommand,
  GetUserCommand,
  paginateListAccessKeys,
  paginateListAttachedUserPolicies,
  paginateListGroupsForUser,
  paginateListMFADevices,
  paginateListPolicyTags,
  paginateListPolicyVersions,
  paginateListUserPolicies,
  paginateListUserTags,
  RemoveUserFromGroupCommand,
  type IAMClient,
  type Tag,
} from '@aws-sdk/client-iam';
import { describeAwsError, isNoSuchEntity } from './aws-error.ts';
import type { CleanupStep } from './cleanup-report.ts';
import { ownershipProblem } from './ownership.ts';

export interface TeardownContext {
  /** A client with the account's admin credentials. */
  iam: IAMClient;
  /** Read what exists and record what would be done, but change nothing. */
  dryRun: boolean;
  /** Touch only this run's resources; any keyloop run's when undefined. */
  runId?: string;
  /** Hears every step as it happens. */
  record(step: CleanupStep): void;
}

/** Every item of every page of a paginated listing. */
async function collect<P, T>(pages: AsyncIterable<P>, items: (page: P) => readonly T[] | undefined): Promise<T[]> {
  const all: T[] = [];
  for await (const page of pages) all.push(...(items(page) ?? []));
  return all;
}

/** One change: made (or planned, in a dry run) and recorded. True unless it failed. */
async function change(ctx: TeardownContext, step: Omit<CleanupStep, 'outcome'>, call: () => Promise<unknown>): Promise<boolean> {
  if (ctx.dryRun) {
    ctx.record({ ...step, outcome: 'planned' });
    return true;
  }
  try {
    await call();
    ctx.record({ ...step, outcome: 'done' });
    return true;
  } catch (error) {
    if (isNoSuchEntity(error)) {
      ctx.record({ ...step, outcome: 'gone' });
      return true;
    }
    ctx.record({ ...step, outcome: 'failed', reason: describeAwsError(error) });
    return false;
  }
}

/** One listing; a failure is recorded and read as an empty list, so teardown goes on. */
export async function listing<T>(ctx: TeardownContext, action: string, resource: string, read: () => Promise<T[]>): Promise<T[]> {
  try {
    return await read();
  } catch (error) {
    ctx.record({ action, resource, outcome: 'failed', reason: describeAwsError(error) });
    return [];
  }
}

interface Marks {
  kind: 'user' | 'policy';
  arn: string;
  name: string;
  path: string;
  tags: Tag[];
}

/** The entity's marks read back from IAM, or what became of it when it is not to be touched. */
type Reading = { owned: Marks } | { left: 'gone' | 'unreadable' | 'refused' };

async function readMarks(ctx: TeardownContext, deleteAction: string, resource: string, read: () => Promise<Marks>): Promise<Reading> {
  let marks: Marks;
  try {
    marks = await read();
  } catch (error) {
    if (isNoSuchEntity(error)) {
      ctx.record({ action: deleteAction, resource, outcome: 'gone' });
      return { left: 'gone' };
    }
    ctx.record({ action: deleteAction, resource, outcome: 'failed', reason: `cannot read its path and tags: ${describeAwsError(error)}` });
    return { left: 'unreadable' };
  }
  const problem = ownershipProblem(marks, ctx.runId);
  if (problem) {
    ctx.record({ action: deleteAction, resource: marks.arn, outcome: 'refused', reason: problem });
    return { left: 'refused' };
  }
  return { owned: marks };
}

/** Removes user `userName` with everything that hangs off it, if it is keyloop's. True once it is gone (or would be, in a dry run). */
export async function removeUser(ctx: TeardownContext, userName: string): Promise<boolean> {
  const { iam } = ctx;
  const UserName = userName;
  const reading = await readMarks(ctx, 'DeleteUser', userName, async () => {
    const user = (await iam.send(new GetUserCommand({ UserName }))).User!;
    const tags = await collect(paginateListUserTags({ client: iam }, { UserName }), (page) => page.Tags);
    return { kind: 'user', arn: user.Arn!, name: user.UserName!, path: user.Path!, tags };
  });
  if ('left' in reading) return reading.left === 'gone';
  const resource = reading.owned.arn;
  const step = (action: string, detail?: string) => ({ action, resource, detail });

  for (const policy of await listing(ctx, 'ListAttachedUserPolicies', resource, () => collect(paginateListAttachedUserPolicies({ client: iam }, { UserName }), (p) => p.AttachedPolicies))) {
    await change(ctx, step('DetachUserPolicy', policy.PolicyArn), () => iam.send(new DetachUserPolicyCommand({ UserName, PolicyArn: policy.PolicyArn })));
  }
  for (const PolicyName of await listing(ctx, 'ListUserPolicies', resource, () => collect(paginateListUserPolicies({ client: iam }, { UserName }), (p) => p.PolicyNames))) {
    await change(ctx, step('DeleteUserPolicy', PolicyName), () => iam.send(new DeleteUserPolicyCommand({ UserName, PolicyName })));
  }
  for (const group of await listing(ctx, 'ListGroupsForUser', resource, () => collect(paginateListGroupsForUser({ client: iam }, { UserName }), (p) => p.Groups))) {
    await change(ctx, step('RemoveUserFromGroup', group.GroupName), () => iam.send(new RemoveUserFromGroupCommand({ UserName, GroupName: group.GroupName })));
  }
  for (const key of await listing(ctx, 'ListAccessKeys', resource, () => collect(paginateListAccessKeys({ client: iam }, { UserName }), (p) => p.AccessKeyMetadata))) {
    await change(ctx, step('DeleteAccessKey', key.AccessKeyId), () => iam.send(new DeleteAccessKeyCommand({ UserName, AccessKeyId: key.AccessKeyId })));
  }
  if (await hasLoginProfile(ctx, resource, userName)) {
    await change(ctx, step('DeleteLoginProfile'), () => iam.send(new DeleteLoginProfileCommand({ UserName })));
  }
  // Deactivating a security key deletes it; a virtual device goes back to the account's pool.
  for (const device of await listing(ctx, 'ListMFADevices', resource, () => collect(paginateListMFADevices({ client: iam }, { UserName }), (p) => p.MFADevices))) {
    await change(ctx, step('DeactivateMFADevice', device.SerialNumber), () => iam.send(new DeactivateMFADeviceCommand({ UserName, SerialNumber: device.SerialNumber })));
  }
  return change(ctx, step('DeleteUser'), () => iam.send(new DeleteUserCommand({ UserName })));
}

async function hasLoginProfile(ctx: TeardownContext, resource: string, UserName: string): Promise<boolean> {
  try {
    await ctx.iam.send(new GetLoginProfileCommand({ UserName }));
    return true;
  } catch (error) {
    if (!isNoSuchEntity(error)) ctx.record({ action: 'GetLoginProfile', resource, outcome: 'failed', reason: describeAwsError(error) });
    return false;
  }
}

/** Removes customer managed policy `policyArn` with its non-default versions, if it is keyloop's. True once it is gone (or would be). */
export async function removePolicy(ctx: TeardownContext, policyArn: string): Promise<boolean> {
  const { iam } = ctx;
  const PolicyArn = policyArn;
  const reading = await readMarks(ctx, 'DeletePolicy', policyArn, async () => {
    const policy = (await iam.send(new GetPolicyCommand({ PolicyArn }))).Policy!;
    const tags = await collect(paginateListPolicyTags({ client: iam }, { PolicyArn }), (page) => page.Tags);
    return { kind: 'policy', arn: policyArn, name: policy.PolicyName!, path: policy.Path!, tags };
  });
  if ('left' in reading) return reading.left === 'gone';
  const versions = await listing(ctx, 'ListPolicyVersions', policyArn, () => collect(paginateListPolicyVersions({ client: iam }, { PolicyArn }), (p) => p.Versions));
  for (const version of versions.filter((each) => !each.IsDefaultVersion)) {
    await change(ctx, { action: 'DeletePolicyVersion', resource: policyArn, detail: version.VersionId }, () => iam.send(new DeletePolicyVersionCommand({ PolicyArn, VersionId: version.VersionId })));
  }
  return change(ctx, { action: 'DeletePolicy', resource: policyArn }, () => iam.send(new DeletePolicyCommand({ PolicyArn })));
}
