// What every table module of the store shares: the database, the account, the clock and ids.
import type { Statement } from 'better-sqlite3';
import type { IdSource } from '../ids.ts';
import type { Db } from './database.ts';

/** A prepared statement for `text`, prepared once per store and reused. */
export type Sql = <P extends unknown[] | {} = unknown[], R = unknown>(text: string) => Statement<P, R>;

export interface StoreContext {
  readonly db: Db;
  readonly sql: Sql;
  readonly accountId: string;
  /** Current time in milliseconds since the epoch. */
  readonly clock: () => number;
  readonly ids: IdSource;
}

