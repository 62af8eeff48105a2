// The mock IAM's state as one comparable string, read straight from the store: what a rejected
// request must leave exactly as it was. Groups have no listing in the store, so the caller names
// the ones to look at (the fuzz targets draw group names from a small pool).
import type { IamStore } from '../../emulator/iam/index.ts';

export function snapshotStore(store: IamStore, groupNames: readonly string[]): string {
  const users = store.users.list().map((user) => ({
    user,
    tags: store.tags.list('user', user.userName),
    loginProfile: store.loginProfiles.find(user.userName),
    accessKeys: store.accessKeys.list(user.userName),
    mfa: store.mfa.listForUser(user.userName),
    inline: store.inlinePolicies.list('user', user.userName),
    attached: store.policies.attached('user', user.userName).map((policy) => policy.arn),
    groups: store.groups.groupsForUser(user.userName).map((group) => group.groupName),
  }));
  const groups = groupNames.flatMap((name) => {
    const group = store.groups.find(name);
    if (!group) return [];
    return [{ group, members: store.groups.memberCount(name), inline: store.inlinePolicies.list('group', name), attached: store.policies.attached('group', name).map((policy) => policy.arn) }];
  });
  const policies = store.policies.list({ scope: 'Local' }).map((policy) => ({
    policy,
    versions: store.policies.listVersions(policy.arn),
    tags: store.tags.list('policy', policy.arn),
  }));
  return JSON.stringify({ users, groups, policies, virtualMfa: store.mfa.listVirtual(), alias: store.accountAlias });
}
