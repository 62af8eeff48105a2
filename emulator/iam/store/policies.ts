// Managed policies with their versions and attachments, and inline policies (IAM API Reference:
// CreatePolicy, GetPolicy, ListPolicies, DeletePolicy, CreatePolicyVersion, GetPolicyVersion,
// ListPolicyVersions, DeletePolicyVersion, Attach/Detach/ListAttached{User,Group}Policies,
// Put/Get/List/Delete{User,Group}Policy). Quotas from IAM User Guide, "IAM and AWS STS quotas".
import { createHash } from 'node:crypto';
import { AWS_MANAGED_ACCOUNT, policyArn } from '../arns.ts';
import { AWS_MANAGED_POLICIES } from '../aws-managed-policies.ts';
import { alreadyExists, deleteConflict, limitExceeded, noSuchEntity } from '../errors.ts';
import type { StoreContext } from './context.ts';

export type EntityType = 'user' | 'group';

export interface ManagedPolicy {
  arn: string;
  policyName: string;
  policyId: string;
  path: string;
  description: string | undefined;
  defaultVersionId: string;
  attachmentCount: number;
  awsManaged: boolean;
  createDate: Date;
  updateDate: Date;
}

export interface PolicyVersion {
  versionId: string;
  /** The JSON text as it was written. */
  document: string;
  isDefaultVersion: boolean;
  createDate: Date;
}

export const POLICY_VERSIONS_PER_POLICY = 5;
export const MANAGED_POLICIES_PER_ENTITY = 10;

interface PolicyRow {
  arn: string;
  name: string;
  id: string;
  path: string;
  description: string | null;
  default_version: string;
  next_version: number;
  aws_managed: number;
  create_date: number;
  update_date: number;
  attachment_count: number;
}
interface VersionRow {
  version_id: string;
  document: string;
  create_date: number;
  is_default: number;
}

const POLICY_SELECT = 'SELECT p.*, (SELECT count(*) FROM attachments a WHERE a.policy_arn = p.arn) AS attachment_count FROM policies p';

const managedPolicy = (row: PolicyRow): ManagedPolicy => ({
  arn: row.arn,
  policyName: row.name,
  policyId: row.id,
  path: row.path,
  description: row.description ?? undefined,
  defaultVersionId: row.default_version,
  attachmentCount: row.attachment_count,
  awsManaged: row.aws_managed === 1,
  createDate: new Date(row.create_date),
  updateDate: new Date(row.update_date),
});

const versionNumber = (versionId: string): number => Number(/^v(\d+)/.exec(versionId)?.[1] ?? 0);

/** A stable id for an AWS managed policy, so it is the same in every state file. */
const awsPolicyId = (name: string): string =>
  `ANPA${createHash('sha256').update(name).digest('base64').replace(/[^A-Z2-7]/g, '').slice(0, 17)}`;

export class PolicyStore {
  readonly #ctx: StoreContext;

  constructor(ctx: StoreContext) {
    this.#ctx = ctx;
  }

  /** Inserts the AWS managed policies that a state file does not have yet. */
  seedAwsManaged(): void {
    const insertPolicy = this.#ctx.sql(
      `INSERT OR IGNORE INTO policies (arn, name, id, path, description, default_version, next_version, aws_managed, create_date, update_date)
       VALUES (@arn, @name, @id, '/', @description, @version, @next, 1, @created, @updated)`,
    );
    const insertVersion = this.#ctx.sql(
      'INSERT OR IGNORE INTO policy_versions (policy_arn, version_id, document, create_date) VALUES (?, ?, ?, ?)',
    );
    this.#ctx.db.transaction(() => {
      for (const policy of AWS_MANAGED_POLICIES) {
        const arn = policyArn(AWS_MANAGED_ACCOUNT, '/', policy.name);
        const updated = Date.parse(policy.updateDate);
        insertPolicy.run({
          arn,
          name: policy.name,
          id: awsPolicyId(policy.name),
          description: policy.description,
          version: policy.versionId,
          next: versionNumber(policy.versionId) + 1,
          created: Date.parse(policy.createDate),
          updated,
        });
        insertVersion.run(arn, policy.versionId, policy.document, updated);
      }
    })();
  }

  create({ policyName, path = '/', document, description }: { policyName: string; path?: string; document: string; description?: string }): ManagedPolicy {
    const exists = this.#ctx.sql('SELECT 1 FROM policies WHERE aws_managed = 0 AND name = ?').get(policyName);
    if (exists) throw alreadyExists(`A policy called ${policyName} already exists. Duplicate names are not allowed.`);
    const now = this.#ctx.clock();
    const arn = policyArn(this.#ctx.accountId, path, policyName);
    this.#ctx.db.transaction(() => {
      this.#ctx
        .sql(
          `INSERT INTO policies (arn, name, id, path, description, default_version, next_version, aws_managed, create_date, update_date)
           VALUES (?, ?, ?, ?, ?, 'v1', 2, 0, ?, ?)`,
        )
        .run(arn, policyName, this.#ctx.ids.policyId(), path, description ?? null, now, now);
      this.#ctx.sql("INSERT INTO policy_versions (policy_arn, version_id, document, create_date) VALUES (?, 'v1', ?, ?)").run(arn, document, now);
    })();
    return this.get(arn);
  }

  find(arn: string): ManagedPolicy | undefined {
    const row = this.#ctx.sql<[string], PolicyRow>(`${POLICY_SELECT} WHERE p.arn = ?`).get(arn);
    return row && managedPolicy(row);
  }

  get(arn: string): ManagedPolicy {
    const policy = this.find(arn);
    if (!policy) throw noSuchEntity(`Policy ${arn} does not exist or is not attachable.`);
    return policy;
  }

  list({ scope = 'All', onlyAttached = false, pathPrefix = '/' }: { scope?: 'All' | 'AWS' | 'Local'; onlyAttached?: boolean; pathPrefix?: string } = {}): ManagedPolicy[] {
    return this.#ctx
      .sql<{ prefix: string; managed: number; attached: number }, PolicyRow>(
        `SELECT * FROM (${POLICY_SELECT}) WHERE substr(path, 1, length(@prefix)) = @prefix
         AND (@managed = 2 OR aws_managed = @managed) AND (@attached = 0 OR attachment_count > 0) ORDER BY name COLLATE NOCASE, arn`,
      )
      .all({ prefix: pathPrefix, managed: scope === 'All' ? 2 : scope === 'AWS' ? 1 : 0, attached: onlyAttached ? 1 : 0 })
      .map(managedPolicy);
  }

  delete(arn: string): void {
    const policy = this.get(arn);
    if (policy.attachmentCount > 0) throw deleteConflict('Cannot delete a policy attached to entities.');
    if (this.listVersions(arn).length > 1) {
      throw deleteConflict(
        "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.",
      );
    }
    this.#ctx.sql('DELETE FROM policies WHERE arn = ?').run(arn);
  }

  getVersion(arn: string, versionId: string): PolicyVersion {
    const policy = this.get(arn);
    const row = this.#ctx
      .sql<[string, string], Omit<VersionRow, 'is_default'>>('SELECT version_id, document, create_date FROM policy_versions WHERE policy_arn = ? AND version_id = ?')
      .get(arn, versionId);
    if (!row) throw noSuchEntity(`Policy ${arn} version ${versionId} does not exist or is not attachable.`);
    return { versionId: row.version_id, document: row.document, isDefaultVersion: row.version_id === policy.defaultVersionId, createDate: new Date(row.create_date) };
  }

  listVersions(arn: string): PolicyVersion[] {
    const policy = this.get(arn);
    return this.#ctx
      .sql<[string], Omit<VersionRow, 'is_default'>>('SELECT version_id, document, create_date FROM policy_versions WHERE policy_arn = ?')
      .all(arn)
      .sort((a, b) => versionNumber(b.version_id) - versionNumber(a.version_id))
      .map((row) => ({
        versionId: row.version_id,
        document: row.document,
        isDefaultVersion: row.version_id === policy.defaultVersionId,
        createDate: new Date(row.create_date),
      }));
  }

  createVersion(arn: string, { document, setAsDefault }: { document: string; setAsDefault: boolean }): PolicyVersion {
    if (this.listVersions(arn).length >= POLICY_VERSIONS_PER_POLICY) {
      throw limitExceeded(
        `A managed policy can have up to ${POLICY_VERSIONS_PER_POLICY} versions. Before you create a new version, you must delete an existing version.`,
      );
    }
    const row = this.#ctx.sql<[string], { next_version: number }>('SELECT next_version FROM policies WHERE arn = ?').get(arn)!;
    const versionId = `v${row.next_version}`;
    const now = this.#ctx.clock();
    this.#ctx.db.transaction(() => {
      this.#ctx.sql('INSERT INTO policy_versions (policy_arn, version_id, document, create_date) VALUES (?, ?, ?, ?)').run(arn, versionId, document, now);
      this.#ctx
        .sql('UPDATE policies SET next_version = next_version + 1, update_date = ?, default_version = CASE WHEN ? THEN ? ELSE default_version END WHERE arn = ?')
        .run(now, setAsDefault ? 1 : 0, versionId, arn);
    })();
    return { versionId, document, isDefaultVersion: setAsDefault, createDate: new Date(now) };
  }

  deleteVersion(arn: string, versionId: string): void {
    const version = this.getVersion(arn, versionId);
    if (version.isDefaultVersion) throw deleteConflict('Cannot delete the default version of a policy.');
    this.#ctx.sql('DELETE FROM policy_versions WHERE policy_arn = ? AND version_id = ?').run(arn, versionId);
  }

  /** The JSON of the policy's default version. */
  defaultDocument(arn: string): string {
    return this.getVersion(arn, this.get(arn).defaultVersionId).document;
  }

  attach(entityType: EntityType, entityName: string, arn: string): void {
    this.get(arn);
    const count = this.attached(entityType, entityName).length;
    const already = this.#ctx
      .sql('SELECT 1 FROM attachments WHERE entity_type = ? AND entity_name = ? AND policy_arn = ?')
      .get(entityType, entityName, arn);
    if (already) return;
    if (count >= MANAGED_POLICIES_PER_ENTITY) {
      throw limitExceeded(`Cannot exceed quota for PoliciesPer${entityType === 'user' ? 'User' : 'Group'}: ${MANAGED_POLICIES_PER_ENTITY}`);
    }
    this.#ctx.sql('INSERT INTO attachments (entity_type, entity_name, policy_arn) VALUES (?, ?, ?)').run(entityType, entityName, arn);
  }

  detach(entityType: EntityType, entityName: string, arn: string): void {
    const removed = this.#ctx
      .sql('DELETE FROM attachments WHERE entity_type = ? AND entity_name = ? AND policy_arn = ?')
      .run(entityType, entityName, arn).changes;
    if (removed === 0) throw noSuchEntity(`Policy ${arn} was not found.`);
  }

  attached(entityType: EntityType, entityName: string): ManagedPolicy[] {
    return this.#ctx
      .sql<[string, string], PolicyRow>(
        `${POLICY_SELECT} JOIN attachments x ON x.policy_arn = p.arn WHERE x.entity_type = ? AND x.entity_name = ? ORDER BY p.name COLLATE NOCASE`,
      )
      .all(entityType, entityName)
      .map(managedPolicy);
  }
}

export interface InlinePolicy {
  policyName: string;
  document: string;
}

export class InlinePolicyStore {
  readonly #ctx: StoreContext;

  constructor(ctx: StoreContext) {
    this.#ctx = ctx;
  }

  put(entityType: EntityType, entityName: string, policyName: string, document: string): void {
    this.#ctx
      .sql(
        `INSERT INTO inline_policies (entity_type, entity_name, name, document) VALUES (?, ?, ?, ?)
         ON CONFLICT (entity_type, entity_name, name) DO UPDATE SET document = excluded.document`,
      )
      .run(entityType, entityName, policyName, document);
  }

  get(entityType: EntityType, entityName: string, policyName: string): InlinePolicy {
    const row = this.#ctx
      .sql<[string, string, string], { name: string; document: string }>(
        'SELECT name, document FROM inline_policies WHERE entity_type = ? AND entity_name = ? AND name = ?',
      )
      .get(entityType, entityName, policyName);
    if (!row) throw noSuchEntity(`The ${entityType} policy with name ${policyName} cannot be found.`);
    return { policyName: row.name, document: row.document };
  }

  list(entityType: EntityType, entityName: string): InlinePolicy[] {
    return this.#ctx
      .sql<[string, string], { name: string; document: string }>(
        'SELECT name, document FROM inline_policies WHERE entity_type = ? AND entity_name = ? ORDER BY name COLLATE NOCASE',
      )
      .all(entityType, entityName)
      .map((row) => ({ policyName: row.name, document: row.document }));
  }

  delete(entityType: EntityType, entityName: string, policyName: string): void {
    const removed = this.#ctx
      .sql('DELETE FROM inline_policies WHERE entity_type = ? AND entity_name = ? AND name = ?')
      .run(entityType, entityName, policyName).changes;
    if (removed === 0) throw noSuchEntity(`The ${entityType} policy with name ${policyName} cannot be found.`);
  }
}
