// The mock IAM's state: one SQLite database, one module per kind of entity. Every write runs in
// a transaction (each multi-statement method opens its own; the request pipeline wraps a whole
// action in one, which SQLite nests as a savepoint).
import type { Statement } from 'better-sqlite3';
import { createIdSource, type IdSource } from '../ids.ts';
import { AccessKeyStore, LoginProfileStore } from './credentials.ts';
import { openDatabase, type Db } from './database.ts';
import { GroupStore } from './groups.ts';
import { MfaStore } from './mfa.ts';
import { InlinePolicyStore, PolicyStore } from './policies.ts';
import { SessionStore } from './sessions.ts';
import { TagStore } from './tags.ts';
import type { Sql, StoreContext } from './context.ts';
import { UserStore } from './users.ts';

/** Where an identity policy comes from, in SimulatePrincipalPolicy's PolicySourceType words. */
export type PolicySourceType = 'user' | 'group' | 'aws-managed' | 'user-managed';

export interface IdentityPolicy {
  /** The policy's name: SimulatePrincipalPolicy's SourcePolicyId. */
  id: string;
  sourceType: PolicySourceType;
  /** The JSON text. */
  document: string;
}

export interface OpenIamStoreOptions {
  /** Directory of the state file; undefined keeps the state in memory. */
  stateDir?: string;
  /** The 12-digit account the state belongs to; a state file keeps the account it was made for. */
  accountId: string;
  /** Milliseconds since the epoch. */
  clock?: () => number;
  ids?: IdSource;
}

export class IamStore {
  readonly accountId: string;
  readonly users: UserStore;
  readonly loginProfiles: LoginProfileStore;
  readonly accessKeys: AccessKeyStore;
  readonly groups: GroupStore;
  readonly policies: PolicyStore;
  readonly inlinePolicies: InlinePolicyStore;
  readonly mfa: MfaStore;
  readonly sessions: SessionStore;
  readonly tags: TagStore;
  readonly #db: Db;
  readonly #sql: Sql;
  readonly #changes: () => number;
  readonly #dataVersion: () => number;

  constructor(ctx: StoreContext) {
    this.#db = ctx.db;
    this.#sql = ctx.sql;
    this.accountId = ctx.accountId;
    this.users = new UserStore(ctx);
    this.loginProfiles = new LoginProfileStore(ctx);
    this.accessKeys = new AccessKeyStore(ctx);
    this.groups = new GroupStore(ctx);
    this.policies = new PolicyStore(ctx);
    this.inlinePolicies = new InlinePolicyStore(ctx);
    this.mfa = new MfaStore(ctx);
    this.sessions = new SessionStore(ctx);
    this.tags = new TagStore(ctx);
    const changes = ctx.sql<[], number>('SELECT total_changes()').pluck();
    this.#changes = () => changes.get()!;
    const dataVersion = ctx.sql<[], number>('PRAGMA data_version').pluck();
    this.#dataVersion = () => dataVersion.get()!;
  }

  /** Runs `fn` in one transaction: all of its writes land, or none. */
  transaction<T>(fn: () => T): T {
    return this.#db.transaction(fn)();
  }

  /**
   * Changes whenever any connection has written since the last call: rows this connection changed
   * (total_changes) and commits by other connections (data_version). Caches of anything derived
   * from the state key on it.
   */
  generation(): string {
    return `${this.#changes()}.${this.#dataVersion()}`;
  }

  /** When the account's state was first created: the root user's CreateDate. */
  get accountCreateDate(): Date {
    return new Date(Number(this.#sql<[], { value: string }>("SELECT value FROM meta WHERE key = 'create_date'").get()!.value));
  }

  get accountAlias(): string | undefined {
    return this.#sql<[], { value: string }>("SELECT value FROM meta WHERE key = 'account_alias'").get()?.value;
  }

  set accountAlias(alias: string | undefined) {
    if (alias === undefined) this.#sql("DELETE FROM meta WHERE key = 'account_alias'").run();
    else this.#sql("INSERT INTO meta (key, value) VALUES ('account_alias', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(alias);
  }

  #inline(entity: 'user' | 'group', name: string): IdentityPolicy[] {
    return this.inlinePolicies.list(entity, name).map((policy) => ({ id: policy.policyName, sourceType: entity, document: policy.document }));
  }

  #managed(entity: 'user' | 'group', name: string): IdentityPolicy[] {
    return this.policies.attached(entity, name).map((policy) => ({
      id: policy.policyName,
      sourceType: policy.awsManaged ? 'aws-managed' : 'user-managed',
      document: this.policies.defaultDocument(policy.arn),
    }));
  }

  /** Policies attached to a group, inline and managed. */
  groupPolicies(groupName: string): IdentityPolicy[] {
    return [...this.#inline('group', groupName), ...this.#managed('group', groupName)];
  }

  /** Every policy that applies to a user: attached and inline, the user's own and its groups'. */
  identityPolicies(userName: string): IdentityPolicy[] {
    return [
      ...this.#inline('user', userName),
      ...this.#managed('user', userName),
      ...this.groups.groupsForUser(userName).flatMap((group) => this.groupPolicies(group.groupName)),
    ];
  }

  integrityCheck(): string {
    return this.#db.pragma('integrity_check', { simple: true }) as string;
  }

  close(): void {
    this.#db.close();
  }
}

export function openIamStore({ stateDir, accountId, clock = Date.now, ids = createIdSource() }: OpenIamStoreOptions): IamStore {
  const db = openDatabase({ stateDir });
  try {
    const stored = db.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'account_id'").get()?.value;
    if (stored === undefined) {
      db.prepare("INSERT INTO meta (key, value) VALUES ('account_id', ?), ('create_date', ?)").run(accountId, String(clock()));
    } else if (stored !== accountId) throw new Error(`IAM state in ${stateDir} belongs to account ${stored}, not ${accountId}`);
    const statements = new Map<string, Statement>();
    const sql: Sql = <P extends unknown[] | {} = unknown[], R = unknown>(text: string): Statement<P, R> => {
      let statement = statements.get(text);
      if (statement === undefined) {
        statement = db.prepare(text);
        statements.set(text, statement);
      }
      return statement as unknown as Statement<P, R>;
    };
    const store = new IamStore({ db, sql, accountId, clock, ids });
    store.policies.seedAwsManaged();
    return store;
  } catch (error) {
    db.close();
    throw error;
  }
}
