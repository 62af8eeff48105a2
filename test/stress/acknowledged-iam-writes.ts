// IAM writes under load, and the ledger of those acknowledged: a write counts once its successful
// response arrived, and from then on it must survive anything short of a deleted state file.
// Writes in flight when the server dies are unknown and not recorded.
import {
  CreatePolicyCommand,
  CreateUserCommand,
  type IAMClient,
  ListUserTagsCommand,
  TagUserCommand,
  paginateListPolicies,
  paginateListUsers,
} from '@aws-sdk/client-iam';

const POLICY_DOCUMENT = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:GetUser', Resource: '*' }] });

export interface UserTag {
  readonly userName: string;
  readonly key: string;
  readonly value: string;
}

/** Every acknowledged write, in order. */
export class IamWriteLedger {
  readonly users: string[] = [];
  readonly tags: UserTag[] = [];
  /** Customer managed policy names. */
  readonly policies: string[] = [];

  get count(): number {
    return this.users.length + this.tags.length + this.policies.length;
  }
}

/**
 * CreateUser, TagUser on it, CreatePolicy, again and again with names from `prefix`, until
 * `stopped()` or a call fails (rejecting with that failure). Each write is sent only after the
 * previous one was acknowledged.
 */
export async function writeUntilStopped({ iam, prefix, ledger, stopped }: { iam: IAMClient; prefix: string; ledger: IamWriteLedger; stopped: () => boolean }): Promise<void> {
  for (let n = 0; !stopped(); n++) {
    const userName = `${prefix}-u${n}`;
    await iam.send(new CreateUserCommand({ UserName: userName }));
    ledger.users.push(userName);
    const tag = { userName, key: 'writer', value: `${prefix}/${n}` };
    await iam.send(new TagUserCommand({ UserName: userName, Tags: [{ Key: tag.key, Value: tag.value }] }));
    ledger.tags.push(tag);
    const policyName = `${prefix}-p${n}`;
    await iam.send(new CreatePolicyCommand({ PolicyName: policyName, PolicyDocument: POLICY_DOCUMENT }));
    ledger.policies.push(policyName);
  }
}

/**
 * The acknowledged writes the server no longer shows, as `user NAME`, `policy NAME` and
 * `tag USER KEY=VALUE` lines: users and policies through their list calls, and the tags in
 * `tags` (a slice of the ledger's, as ListUserTags is one call per user) of users still there.
 */
export async function missingWrites(iam: IAMClient, ledger: IamWriteLedger, tags: readonly UserTag[] = ledger.tags): Promise<string[]> {
  const users = new Set<string>();
  for await (const page of paginateListUsers({ client: iam }, {})) for (const user of page.Users ?? []) users.add(user.UserName!);
  const policies = new Set<string>();
  for await (const page of paginateListPolicies({ client: iam }, { Scope: 'Local' })) for (const policy of page.Policies ?? []) policies.add(policy.PolicyName!);
  const missing = [
    ...ledger.users.filter((name) => !users.has(name)).map((name) => `user ${name}`),
    ...ledger.policies.filter((name) => !policies.has(name)).map((name) => `policy ${name}`),
  ];
  for (const tag of tags.filter(({ userName }) => users.has(userName))) {
    const listed = await iam.send(new ListUserTagsCommand({ UserName: tag.userName }));
    if (!listed.Tags?.some(({ Key, Value }) => Key === tag.key && Value === tag.value)) missing.push(`tag ${tag.userName} ${tag.key}=${tag.value}`);
  }
  return missing;
}
