// The IAM resources of one run. The harness creates users and policies only through this class, so
// each one is named `keyloop-<runId>-<base>`, lives under path /keyloop/, carries the run's tags,
// and is recorded the moment IAM has created it. cleanup() removes what was recorded, users first
// (with everything hanging off them) and then policies, and never anything that the run did not
// create: each entity's marks are read back from IAM before it is touched.
import {
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateLoginProfileCommand,
  CreatePolicyCommand,
  CreateUserCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import type { CleanupReport, CleanupStep } from './cleanup-report.ts';
import { checkRunId, IamResourceError, KEYLOOP_PATH, keyloopTags, runPrefix, USER_PATH } from './ownership.ts';
import { generatePassword } from './password.ts';
import { removePolicy, removeUser } from './teardown.ts';

export interface IamResourcesOptions {
  /** The run the resources belong to: part of every name and the keyloop:run tag. */
  runId: string;
  /** A client with the account's admin credentials. */
  iam: IAMClient;
}

export interface CreatedUser {
  userName: string;
  arn: string;
  /** The console password, when the user was given a login profile. */
  password?: string;
}

export interface CreatedAccessKey {
  userName: string;
  accessKeyId: string;
  secretAccessKey: string;
}

export interface CreatedPolicy {
  policyName: string;
  arn: string;
}

/** What a run has created, in order: for reports, and for the refusal of foreign users. */
export type TrackedResource =
  | ({ kind: 'user' } & Omit<CreatedUser, 'password'>)
  | ({ kind: 'access-key' } & Omit<CreatedAccessKey, 'secretAccessKey'>)
  | ({ kind: 'policy' } & CreatedPolicy)
  | { kind: 'attachment'; userName: string; policyArn: string };

export interface CreateUserOptions {
  /**
   * Gives the user a console password (a login profile, without a forced reset): this one, or
   * with `true` a generated one. CreatedUser.password has it.
   */
  password?: string | true;
}

export interface CreatePolicyOptions {
  description?: string;
}

export class IamResources {
  readonly runId: string;
  readonly #iam: IAMClient;
  readonly #created: TrackedResource[] = [];
  /** Creations under way, which cleanup waits for, so a user created during a Ctrl-C is removed too. */
  readonly #pending = new Set<Promise<unknown>>();
  /** Set by cleanup(): the run is ending, and creates nothing more. */
  #ended = false;

  constructor({ runId, iam }: IamResourcesOptions) {
    this.runId = checkRunId(runId);
    this.#iam = iam;
  }

  /** `keyloop-<runId>-<base>`: the name a resource with this base name gets. */
  name(base: string): string {
    return `${runPrefix(this.runId)}${base}`;
  }

  /** Everything this run has created and not yet removed. */
  get created(): readonly TrackedResource[] {
    return [...this.#created];
  }

  async createUser(base: string, { password }: CreateUserOptions = {}): Promise<CreatedUser> {
    return this.#creating(async () => {
      const UserName = this.name(base);
      const { User } = await this.#iam.send(new CreateUserCommand({ UserName, Path: USER_PATH, Tags: keyloopTags(this.runId) }));
      const user = { userName: User!.UserName!, arn: User!.Arn! };
      this.#created.push({ kind: 'user', ...user });
      if (password === undefined) return user;
      const Password = password === true ? generatePassword() : password;
      await this.#iam.send(new CreateLoginProfileCommand({ UserName, Password, PasswordResetRequired: false }));
      return { ...user, password: Password };
    });
  }

  async createAccessKey(userName: string): Promise<CreatedAccessKey> {
    this.#requireOwnUser(userName);
    return this.#creating(async () => {
      const { AccessKey } = await this.#iam.send(new CreateAccessKeyCommand({ UserName: userName }));
      const key = { userName, accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
      this.#created.push({ kind: 'access-key', userName, accessKeyId: key.accessKeyId });
      return key;
    });
  }

  /** A customer managed policy; `document` is policy JSON text or an object to serialize. */
  async createPolicy(base: string, document: string | object, { description }: CreatePolicyOptions = {}): Promise<CreatedPolicy> {
    return this.#creating(async () => {
      const { Policy } = await this.#iam.send(
        new CreatePolicyCommand({
          PolicyName: this.name(base),
          Path: KEYLOOP_PATH,
          PolicyDocument: typeof document === 'string' ? document : JSON.stringify(document),
          Description: description,
          Tags: keyloopTags(this.runId),
        }),
      );
      const policy = { policyName: Policy!.PolicyName!, arn: Policy!.Arn! };
      this.#created.push({ kind: 'policy', ...policy });
      return policy;
    });
  }

  /** Attaches any managed policy (this run's, or AWS's: `arn:aws:iam::aws:policy/…`) to a user of this run. */
  async attachUserPolicy(userName: string, policyArn: string): Promise<void> {
    this.#requireOwnUser(userName);
    await this.#creating(async () => {
      await this.#iam.send(new AttachUserPolicyCommand({ UserName: userName, PolicyArn: policyArn }));
      this.#created.push({ kind: 'attachment', userName, policyArn });
    });
  }

  /**
   * Ends the run's creations and removes its users (with whatever hangs off them), then its
   * policies, going on past failures. Removed resources are forgotten, so calling it again
   * retries only what failed.
   */
  async cleanup({ onStep }: { onStep?: (step: CleanupStep) => void } = {}): Promise<CleanupReport> {
    this.#ended = true;
    await Promise.allSettled([...this.#pending]);
    const steps: CleanupStep[] = [];
    const record = (step: CleanupStep): void => {
      steps.push(step);
      onStep?.(step);
    };
    const ctx = { iam: this.#iam, dryRun: false, runId: this.runId, record };
    const removed = new Set<string>();
    const users = this.#created.filter((each) => each.kind === 'user').reverse();
    for (const user of users) if (await removeUser(ctx, user.userName)) removed.add(user.userName);
    const policies = this.#created.filter((each) => each.kind === 'policy').reverse();
    for (const policy of policies) if (await removePolicy(ctx, policy.arn)) removed.add(policy.arn);
    this.#forget(removed);
    return { steps };
  }

  /** Drops removed users and policies, and what hung off the removed users. */
  #forget(removed: ReadonlySet<string>): void {
    const kept = this.#created.filter((each) => {
      if (each.kind === 'policy') return !removed.has(each.arn);
      return !removed.has(each.userName);
    });
    this.#created.splice(0, this.#created.length, ...kept);
  }

  #requireOwnUser(userName: string): void {
    if (!this.#created.some((each) => each.kind === 'user' && each.userName === userName)) {
      throw new IamResourceError(`user ${userName} was not created by keyloop run ${this.runId}; the harness changes only its own users`);
    }
  }

  /** Runs a creation unless cleanup has begun, keeping track of it while it is under way. */
  async #creating<T>(create: () => Promise<T>): Promise<T> {
    if (this.#ended) throw new IamResourceError(`run ${this.runId} has begun its cleanup; it creates no more IAM resources`);
    const pending = create();
    this.#pending.add(pending);
    try {
      return await pending;
    } finally {
      this.#pending.delete(pending);
    }
  }
}
