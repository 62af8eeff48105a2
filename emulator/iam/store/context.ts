// What every table module of the store shares: the database, the account, the clock and ids.
import type { IdSource } from '../ids.ts';
import type { Db } from './database.ts';

export interface StoreContext {
  readonly db: Db;
  readonly accountId: string;
  /** Current time in milliseconds since the epoch. */
  readonly clock: () => number;
  readonly ids: IdSource;
}

