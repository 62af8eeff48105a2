// The SQLite database behind the mock IAM (better-sqlite3): opening, durability settings, schema and
// its migrations (a state file written by an older keyloop is upgraded in place when opened).
//
// Durability: WAL journal with synchronous=FULL. Surviving kill -9 needs only WAL (a committed
// frame is in the OS page cache once write() returns, and the OS writes it out whatever happens
// to the process); FULL adds an fsync of the WAL per commit, so an acknowledged write also
// survives power loss. IAM writes are rare next to reads, so the fsync costs nothing that matters.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

export type Db = Database.Database;

export const STATE_FILE = 'iam.sqlite';

/** Schema version 1: the entities, credentials, MFA devices and sessions. */
const SCHEMA_V1 = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE users (
  name TEXT PRIMARY KEY COLLATE NOCASE,
  id TEXT NOT NULL UNIQUE,
  path TEXT NOT NULL,
  create_date INTEGER NOT NULL
);
CREATE TABLE login_profiles (
  user_name TEXT PRIMARY KEY COLLATE NOCASE REFERENCES users(name),
  password_hash TEXT NOT NULL,
  reset_required INTEGER NOT NULL,
  create_date INTEGER NOT NULL
);
CREATE TABLE access_keys (
  id TEXT PRIMARY KEY,
  secret TEXT NOT NULL,
  user_name TEXT NOT NULL COLLATE NOCASE REFERENCES users(name),
  status TEXT NOT NULL CHECK (status IN ('Active', 'Inactive')),
  create_date INTEGER NOT NULL
);
CREATE INDEX access_keys_user ON access_keys(user_name);
CREATE TABLE groups (
  name TEXT PRIMARY KEY COLLATE NOCASE,
  id TEXT NOT NULL UNIQUE,
  path TEXT NOT NULL,
  create_date INTEGER NOT NULL
);
CREATE TABLE group_members (
  group_name TEXT NOT NULL COLLATE NOCASE REFERENCES groups(name),
  user_name TEXT NOT NULL COLLATE NOCASE REFERENCES users(name),
  PRIMARY KEY (group_name, user_name)
);
CREATE INDEX group_members_user ON group_members(user_name);
CREATE TABLE policies (
  arn TEXT PRIMARY KEY,
  name TEXT NOT NULL COLLATE NOCASE,
  id TEXT NOT NULL UNIQUE,
  path TEXT NOT NULL,
  description TEXT,
  default_version TEXT NOT NULL,
  next_version INTEGER NOT NULL,
  aws_managed INTEGER NOT NULL,
  create_date INTEGER NOT NULL,
  update_date INTEGER NOT NULL,
  UNIQUE (aws_managed, name)
);
CREATE TABLE policy_versions (
  policy_arn TEXT NOT NULL REFERENCES policies(arn) ON DELETE CASCADE,
  version_id TEXT NOT NULL,
  document TEXT NOT NULL,
  create_date INTEGER NOT NULL,
  PRIMARY KEY (policy_arn, version_id)
);
CREATE TABLE attachments (
  entity_type TEXT NOT NULL CHECK (entity_type IN ('user', 'group')),
  entity_name TEXT NOT NULL COLLATE NOCASE,
  policy_arn TEXT NOT NULL REFERENCES policies(arn),
  PRIMARY KEY (entity_type, entity_name, policy_arn)
);
CREATE INDEX attachments_policy ON attachments(policy_arn);
CREATE TABLE inline_policies (
  entity_type TEXT NOT NULL CHECK (entity_type IN ('user', 'group')),
  entity_name TEXT NOT NULL COLLATE NOCASE,
  name TEXT NOT NULL COLLATE NOCASE,
  document TEXT NOT NULL,
  PRIMARY KEY (entity_type, entity_name, name)
);
CREATE TABLE virtual_mfa_devices (
  serial TEXT PRIMARY KEY COLLATE NOCASE,
  seed TEXT NOT NULL,
  user_name TEXT COLLATE NOCASE REFERENCES users(name),
  enable_date INTEGER,
  last_step INTEGER,
  drift_steps INTEGER NOT NULL DEFAULT 0,
  create_date INTEGER NOT NULL
);
CREATE TABLE security_keys (
  serial TEXT PRIMARY KEY,
  user_name TEXT NOT NULL COLLATE NOCASE REFERENCES users(name),
  name TEXT NOT NULL,
  credential_id BLOB NOT NULL UNIQUE,
  public_key BLOB NOT NULL,
  counter INTEGER NOT NULL,
  attestation_format TEXT NOT NULL,
  attestation_object BLOB,
  certifications TEXT NOT NULL,
  enable_date INTEGER NOT NULL
);
CREATE INDEX security_keys_user ON security_keys(user_name);
CREATE TABLE sessions (
  access_key_id TEXT PRIMARY KEY,
  secret TEXT NOT NULL,
  token TEXT NOT NULL,
  user_name TEXT COLLATE NOCASE REFERENCES users(name) ON DELETE CASCADE,
  expiration INTEGER NOT NULL,
  mfa_serial TEXT,
  mfa_time INTEGER
);
`;

/** Schema version 2 adds tags on users and customer managed policies. */
const TAGS_V2 = `
CREATE TABLE user_tags (
  user_name TEXT NOT NULL COLLATE NOCASE REFERENCES users(name) ON DELETE CASCADE,
  key TEXT NOT NULL COLLATE NOCASE,
  value TEXT NOT NULL,
  PRIMARY KEY (user_name, key)
);
CREATE TABLE policy_tags (
  policy_arn TEXT NOT NULL REFERENCES policies(arn) ON DELETE CASCADE,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (policy_arn, key)
);
`;

/** MIGRATIONS[n] takes a database from version n to n + 1; a new database runs them all. */
const MIGRATIONS = [SCHEMA_V1, TAGS_V2];
const SCHEMA_VERSION = MIGRATIONS.length;

export interface OpenDatabaseOptions {
  /** Directory for the state file; undefined keeps everything in memory. */
  stateDir?: string;
}

export function openDatabase({ stateDir }: OpenDatabaseOptions = {}): Db {
  if (stateDir !== undefined) mkdirSync(stateDir, { recursive: true });
  const db = new Database(stateDir === undefined ? ':memory:' : join(stateDir, STATE_FILE));
  if (stateDir !== undefined) {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
  }
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    db.close();
    throw new Error(`IAM state file has schema version ${version}; this keyloop reads versions up to ${SCHEMA_VERSION}`);
  }
  if (version < SCHEMA_VERSION) {
    db.transaction(() => {
      for (const migration of MIGRATIONS.slice(version)) db.exec(migration);
      db.pragma(`user_version = ${SCHEMA_VERSION}`);
    })();
  }
  return db;
}
