// IAM API Reference: CreateGroup, DeleteGroup, AddUserToGroup, RemoveUserFromGroup,
// ListGroupsForUser.
import { groupArn } from '../arns.ts';
import { deleteConflict } from '../errors.ts';
import { rules } from '../rules.ts';
import { required } from '../validation.ts';
import type { ActionSpec } from './action.ts';
import { groupResource, groupShape, listResult, newEntityResource, requireTargetUser, userResource } from './common.ts';

export const CreateGroup: ActionSpec = {
  service: 'iam',
  params: { GroupName: required(rules.groupName), Path: rules.path },
  resource: newEntityResource(groupArn, 'GroupName'),
  mutates: true,
  handler: ({ params, store }) => ({
    Group: groupShape(store.groups.create({ groupName: params.required('GroupName'), path: params.optional('Path') })),
  }),
};

export const DeleteGroup: ActionSpec = {
  service: 'iam',
  params: { GroupName: required(rules.groupName) },
  resource: groupResource,
  mutates: true,
  handler: ({ params, store }) => {
    const { groupName } = store.groups.get(params.required('GroupName'));
    if (store.groups.memberCount(groupName) > 0) throw deleteConflict('Cannot delete entity, must remove users from group first.');
    if (store.inlinePolicies.list('group', groupName).length > 0) throw deleteConflict('Cannot delete entity, must delete policies first.');
    if (store.policies.attached('group', groupName).length > 0) throw deleteConflict('Cannot delete entity, must detach all policies first.');
    store.groups.delete(groupName);
    return undefined;
  },
};

const membership = { GroupName: required(rules.groupName), UserName: required(rules.userName) };

/** AddUserToGroup and RemoveUserFromGroup: both need the group and the user to exist. */
function membershipChange(change: 'addMember' | 'removeMember'): ActionSpec {
  return {
    service: 'iam',
    params: membership,
    resource: groupResource,
    mutates: true,
    handler: ({ params, store }) => {
      const group = store.groups.get(params.required('GroupName'));
      const user = store.users.get(params.required('UserName'));
      store.groups[change](group.groupName, user.userName);
      return undefined;
    },
  };
}

export const AddUserToGroup = membershipChange('addMember');
export const RemoveUserFromGroup = membershipChange('removeMember');

export const ListGroupsForUser: ActionSpec = {
  service: 'iam',
  params: { UserName: required(rules.userName), Marker: rules.marker, MaxItems: rules.maxItems },
  resource: userResource,
  mutates: false,
  handler: (ctx) => listResult('Groups', ctx.store.groups.groupsForUser(requireTargetUser(ctx).userName), ctx, groupShape),
};
