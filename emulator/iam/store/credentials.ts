// A user's long-term credentials: the console password (IAM API Reference: CreateLoginProfile,
// GetLoginProfile, UpdateLoginProfile, DeleteLoginProfile, ChangePassword) and access keys
// (CreateAccessKey, ListAccessKeys, UpdateAccessKey, DeleteAccessKey; at most two per user).
import { alreadyExists, limitExceeded, noSuchEntity } from '../errors.ts';
import { hashPassword, verifyPassword } from '../passwords.ts';
import type { StoreContext } from './context.ts';

export interface LoginProfile {
  userName: string;
  createDate: Date;
  passwordResetRequired: boolean;
}

export type AccessKeyStatus = 'Active' | 'Inactive';

export interface AccessKey {
  accessKeyId: string;
  secretAccessKey: string;
  userName: string;
  status: AccessKeyStatus;
  createDate: Date;
}

export const ACCESS_KEYS_PER_USER = 2;

interface LoginProfileRow {
  user_name: string;
  password_hash: string;
  reset_required: number;
  create_date: number;
}
interface AccessKeyRow {
  id: string;
  secret: string;
  user_name: string;
  status: AccessKeyStatus;
  create_date: number;
}

const loginProfile = (row: LoginProfileRow): LoginProfile => ({
  userName: row.user_name,
  createDate: new Date(row.create_date),
  passwordResetRequired: row.reset_required === 1,
});
const accessKey = (row: AccessKeyRow): AccessKey => ({
  accessKeyId: row.id,
  secretAccessKey: row.secret,
  userName: row.user_name,
  status: row.status,
  createDate: new Date(row.create_date),
});

export class LoginProfileStore {
  readonly #ctx: StoreContext;

  constructor(ctx: StoreContext) {
    this.#ctx = ctx;
  }

  #row(userName: string): LoginProfileRow | undefined {
    return this.#ctx.sql<[string], LoginProfileRow>('SELECT * FROM login_profiles WHERE user_name = ?').get(userName);
  }

  create({ userName, password, passwordResetRequired }: { userName: string; password: string; passwordResetRequired: boolean }): LoginProfile {
    if (this.#row(userName)) throw alreadyExists(`Login Profile for user ${userName} already exists.`);
    const row: LoginProfileRow = {
      user_name: userName,
      password_hash: hashPassword(password),
      reset_required: passwordResetRequired ? 1 : 0,
      create_date: this.#ctx.clock(),
    };
    this.#ctx
      .sql('INSERT INTO login_profiles (user_name, password_hash, reset_required, create_date) VALUES (@user_name, @password_hash, @reset_required, @create_date)')
      .run(row);
    return loginProfile(row);
  }

  find(userName: string): LoginProfile | undefined {
    const row = this.#row(userName);
    return row && loginProfile(row);
  }

  get(userName: string): LoginProfile {
    const profile = this.find(userName);
    if (!profile) throw noSuchEntity(`Login Profile for User ${userName} cannot be found.`);
    return profile;
  }

  update(userName: string, change: { password?: string; passwordResetRequired?: boolean }): void {
    const row = this.#row(userName);
    if (!row) throw noSuchEntity(`Login Profile for User ${userName} cannot be found.`);
    this.#ctx.sql('UPDATE login_profiles SET password_hash = ?, reset_required = ? WHERE user_name = ?').run(
      change.password === undefined ? row.password_hash : hashPassword(change.password),
      change.passwordResetRequired === undefined ? row.reset_required : change.passwordResetRequired ? 1 : 0,
      userName,
    );
  }

  /** For the console's sign-in and ChangePassword: false when there is no profile. */
  verifyPassword(userName: string, password: string): boolean {
    const row = this.#row(userName);
    return row !== undefined && verifyPassword(password, row.password_hash);
  }

  delete(userName: string): void {
    if (this.#ctx.sql('DELETE FROM login_profiles WHERE user_name = ?').run(userName).changes === 0) {
      throw noSuchEntity(`Login Profile for User ${userName} cannot be found.`);
    }
  }
}

export class AccessKeyStore {
  readonly #ctx: StoreContext;

  constructor(ctx: StoreContext) {
    this.#ctx = ctx;
  }

  create(userName: string): AccessKey {
    const count = this.#ctx.sql<[string], { n: number }>('SELECT count(*) AS n FROM access_keys WHERE user_name = ?').get(userName)!.n;
    if (count >= ACCESS_KEYS_PER_USER) throw limitExceeded(`Cannot exceed quota for AccessKeysPerUser: ${ACCESS_KEYS_PER_USER}`);
    const row: AccessKeyRow = {
      id: this.#ctx.ids.accessKeyId(),
      secret: this.#ctx.ids.secretAccessKey(),
      user_name: userName,
      status: 'Active',
      create_date: this.#ctx.clock(),
    };
    this.#ctx.sql('INSERT INTO access_keys (id, secret, user_name, status, create_date) VALUES (@id, @secret, @user_name, @status, @create_date)').run(row);
    return accessKey(row);
  }

  /** Any user's key by its id: how requests are authenticated. */
  find(accessKeyId: string): AccessKey | undefined {
    const row = this.#ctx.sql<[string], AccessKeyRow>('SELECT * FROM access_keys WHERE id = ?').get(accessKeyId);
    return row && accessKey(row);
  }

  list(userName: string): AccessKey[] {
    return this.#ctx
      .sql<[string], AccessKeyRow>('SELECT * FROM access_keys WHERE user_name = ? ORDER BY create_date, id')
      .all(userName)
      .map(accessKey);
  }

  #owned(userName: string, accessKeyId: string): AccessKeyRow {
    const row = this.#ctx.sql<[string, string], AccessKeyRow>('SELECT * FROM access_keys WHERE id = ? AND user_name = ?').get(accessKeyId, userName);
    if (!row) throw noSuchEntity(`The Access Key with id ${accessKeyId} cannot be found.`);
    return row;
  }

  setStatus(userName: string, accessKeyId: string, status: AccessKeyStatus): void {
    this.#owned(userName, accessKeyId);
    this.#ctx.sql('UPDATE access_keys SET status = ? WHERE id = ?').run(status, accessKeyId);
  }

  delete(userName: string, accessKeyId: string): void {
    this.#owned(userName, accessKeyId);
    this.#ctx.sql('DELETE FROM access_keys WHERE id = ?').run(accessKeyId);
  }
}
