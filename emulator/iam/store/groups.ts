// IAM groups and their members (IAM API Reference: CreateGroup, DeleteGroup, AddUserToGroup,
// RemoveUserFromGroup, ListGroupsForUser).
import { groupArn } from '../arns.ts';
import { alreadyExists, noSuchEntity } from '../errors.ts';
import type { StoreContext } from './context.ts';

export interface Group {
  groupName: string;
  groupId: string;
  path: string;
  arn: string;
  createDate: Date;
}

interface GroupRow {
  name: string;
  id: string;
  path: string;
  create_date: number;
}

export class GroupStore {
  readonly #ctx: StoreContext;

  constructor(ctx: StoreContext) {
    this.#ctx = ctx;
  }

  #group(row: GroupRow): Group {
    return {
      groupName: row.name,
      groupId: row.id,
      path: row.path,
      arn: groupArn(this.#ctx.accountId, row.path, row.name),
      createDate: new Date(row.create_date),
    };
  }

  create({ groupName, path = '/' }: { groupName: string; path?: string }): Group {
    if (this.find(groupName)) throw alreadyExists(`Group with name ${groupName} already exists.`);
    const row: GroupRow = { name: groupName, id: this.#ctx.ids.groupId(), path, create_date: this.#ctx.clock() };
    this.#ctx.sql('INSERT INTO groups (name, id, path, create_date) VALUES (@name, @id, @path, @create_date)').run(row);
    return this.#group(row);
  }

  find(groupName: string): Group | undefined {
    const row = this.#ctx.sql<[string], GroupRow>('SELECT * FROM groups WHERE name = ?').get(groupName);
    return row && this.#group(row);
  }

  get(groupName: string): Group {
    const group = this.find(groupName);
    if (!group) throw noSuchEntity(`The group with name ${groupName} cannot be found.`);
    return group;
  }

  delete(groupName: string): void {
    this.#ctx.sql('DELETE FROM groups WHERE name = ?').run(groupName);
  }

  /** Adding a member twice is not an error on AWS. */
  addMember(groupName: string, userName: string): void {
    this.#ctx.sql('INSERT OR IGNORE INTO group_members (group_name, user_name) VALUES (?, ?)').run(groupName, userName);
  }

  removeMember(groupName: string, userName: string): void {
    const removed = this.#ctx.sql('DELETE FROM group_members WHERE group_name = ? AND user_name = ?').run(groupName, userName).changes;
    if (removed === 0) throw noSuchEntity(`The user with name ${userName} cannot be found in group ${groupName}.`);
  }

  memberCount(groupName: string): number {
    return this.#ctx.sql<[string], { n: number }>('SELECT count(*) AS n FROM group_members WHERE group_name = ?').get(groupName)!.n;
  }

  groupsForUser(userName: string): Group[] {
    return this.#ctx
      .sql<[string], GroupRow>(
        'SELECT g.* FROM groups g JOIN group_members m ON m.group_name = g.name WHERE m.user_name = ? ORDER BY g.name COLLATE NOCASE',
      )
      .all(userName)
      .map((row) => this.#group(row));
  }
}
