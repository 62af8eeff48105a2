// Tags on users and customer managed policies (IAM API Reference: TagUser, UntagUser,
// ListUserTags, TagPolicy, UntagPolicy, ListPolicyTags; IAM User Guide, "Tagging IAM resources":
// at most 50 tags per resource; keys of users are matched without regard to case, keeping the
// case last written, keys of policies with it). The rows go with their user or policy (ON DELETE
// CASCADE), so deleting an entity needs no step here.
import { invalidInput, limitExceeded } from '../errors.ts';
import type { StoreContext } from './context.ts';

export const TAGS_PER_RESOURCE = 50;

export type TaggedEntity = 'user' | 'policy';

export interface Tag {
  key: string;
  value: string;
}

const TABLES = {
  user: { table: 'user_tags', column: 'user_name', quota: 'TagsPerUser', caseless: true },
  policy: { table: 'policy_tags', column: 'policy_arn', quota: 'TagsPerPolicy', caseless: false },
} as const;

export class TagStore {
  readonly #ctx: StoreContext;

  constructor(ctx: StoreContext) {
    this.#ctx = ctx;
  }

  /** Tags of a user (by name) or a policy (by ARN), by key. */
  list(entity: TaggedEntity, id: string): Tag[] {
    const { table, column } = TABLES[entity];
    return this.#ctx.sql<[string], Tag>(`SELECT key, value FROM ${table} WHERE ${column} = ? ORDER BY key`).all(id);
  }

  /**
   * Adds tags, overwriting the value of a key the entity already has (for users, also the key's
   * case). One request may not name a key twice; the result may not exceed the quota.
   */
  add(entity: TaggedEntity, id: string, tags: readonly Tag[]): void {
    const { table, column, quota, caseless } = TABLES[entity];
    const fold = (key: string): string => (caseless ? key.toLowerCase() : key);
    const keys = new Set(tags.map((tag) => fold(tag.key)));
    if (keys.size < tags.length) {
      throw invalidInput(`Duplicate tag keys found.${caseless ? ' Please note that Tag keys are case insensitive.' : ''}`);
    }
    const kept = this.list(entity, id).filter((tag) => !keys.has(fold(tag.key)));
    if (kept.length + tags.length > TAGS_PER_RESOURCE) throw limitExceeded(`Cannot exceed quota for ${quota}: ${TAGS_PER_RESOURCE}`);
    this.#ctx.db.transaction(() => {
      for (const tag of tags) {
        this.#ctx.sql(`DELETE FROM ${table} WHERE ${column} = ? AND key = ?`).run(id, tag.key);
        this.#ctx.sql(`INSERT INTO ${table} (${column}, key, value) VALUES (?, ?, ?)`).run(id, tag.key, tag.value);
      }
    })();
  }

  /** Removes the named keys; keys the entity does not have are ignored, as on AWS. */
  remove(entity: TaggedEntity, id: string, keys: readonly string[]): void {
    const { table, column } = TABLES[entity];
    this.#ctx.db.transaction(() => {
      for (const key of keys) this.#ctx.sql(`DELETE FROM ${table} WHERE ${column} = ? AND key = ?`).run(id, key);
    })();
  }
}
