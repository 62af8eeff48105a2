// Temporary credentials from STS GetSessionToken (STS API Reference, GetSessionToken): an ASIA
// access key, a secret and a session token, valid until their expiration, remembering whether
// and when the caller proved an MFA device.
import type { StoreContext } from './context.ts';

export interface Session {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** undefined: the account's root user. */
  userName: string | undefined;
  expiration: Date;
  mfaSerial: string | undefined;
  mfaAuthenticatedAt: Date | undefined;
}

interface SessionRow {
  access_key_id: string;
  secret: string;
  token: string;
  user_name: string | null;
  expiration: number;
  mfa_serial: string | null;
  mfa_time: number | null;
}

const session = (row: SessionRow): Session => ({
  accessKeyId: row.access_key_id,
  secretAccessKey: row.secret,
  sessionToken: row.token,
  userName: row.user_name ?? undefined,
  expiration: new Date(row.expiration),
  mfaSerial: row.mfa_serial ?? undefined,
  mfaAuthenticatedAt: row.mfa_time === null ? undefined : new Date(row.mfa_time),
});

export class SessionStore {
  readonly #ctx: StoreContext;

  constructor(ctx: StoreContext) {
    this.#ctx = ctx;
  }

  create({ userName, durationSeconds, mfaSerial }: { userName: string | undefined; durationSeconds: number; mfaSerial?: string }): Session {
    const now = this.#ctx.clock();
    const row: SessionRow = {
      access_key_id: this.#ctx.ids.sessionAccessKeyId(),
      secret: this.#ctx.ids.secretAccessKey(),
      token: this.#ctx.ids.sessionToken(),
      user_name: userName ?? null,
      expiration: now + durationSeconds * 1000,
      mfa_serial: mfaSerial ?? null,
      mfa_time: mfaSerial === undefined ? null : now,
    };
    this.#ctx.db.transaction(() => {
      // Expired sessions can never authenticate again; dropping them keeps the table small.
      this.#ctx.sql('DELETE FROM sessions WHERE expiration <= ?').run(now);
      this.#ctx
        .sql(
          'INSERT INTO sessions (access_key_id, secret, token, user_name, expiration, mfa_serial, mfa_time) VALUES (@access_key_id, @secret, @token, @user_name, @expiration, @mfa_serial, @mfa_time)',
        )
        .run(row);
    })();
    return session(row);
  }

  find(accessKeyId: string): Session | undefined {
    const row = this.#ctx.sql<[string], SessionRow>('SELECT * FROM sessions WHERE access_key_id = ?').get(accessKeyId);
    return row && session(row);
  }
}
