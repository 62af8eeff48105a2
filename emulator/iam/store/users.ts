// IAM users (IAM API Reference: CreateUser, GetUser, ListUsers, DeleteUser). User names are unique
// without regard to case, as on AWS.
import { userArn } from '../arns.ts';
import { alreadyExists, noSuchEntity } from '../errors.ts';
import type { StoreContext } from './context.ts';

export interface User {
  userName: string;
  userId: string;
  path: string;
  arn: string;
  createDate: Date;
}

interface UserRow {
  name: string;
  id: string;
  path: string;
  create_date: number;
}

export class UserStore {
  readonly #ctx: StoreContext;

  constructor(ctx: StoreContext) {
    this.#ctx = ctx;
  }

  #user(row: UserRow): User {
    return {
      userName: row.name,
      userId: row.id,
      path: row.path,
      arn: userArn(this.#ctx.accountId, row.path, row.name),
      createDate: new Date(row.create_date),
    };
  }

  create({ userName, path = '/' }: { userName: string; path?: string }): User {
    if (this.find(userName)) throw alreadyExists(`User with name ${userName} already exists.`);
    const row: UserRow = { name: userName, id: this.#ctx.ids.userId(), path, create_date: this.#ctx.clock() };
    this.#ctx.sql('INSERT INTO users (name, id, path, create_date) VALUES (@name, @id, @path, @create_date)').run(row);
    return this.#user(row);
  }

  find(userName: string): User | undefined {
    const row = this.#ctx.sql<[string], UserRow>('SELECT * FROM users WHERE name = ?').get(userName);
    return row && this.#user(row);
  }

  get(userName: string): User {
    const user = this.find(userName);
    if (!user) throw noSuchEntity(`The user with name ${userName} cannot be found.`);
    return user;
  }

  /** Users whose path starts with `pathPrefix`, by name. */
  list(pathPrefix = '/'): User[] {
    return this.#ctx
      .sql<{ prefix: string }, UserRow>('SELECT * FROM users WHERE substr(path, 1, length(@prefix)) = @prefix ORDER BY name COLLATE NOCASE')
      .all({ prefix: pathPrefix })
      .map((row) => this.#user(row));
  }

  delete(userName: string): void {
    this.#ctx.sql('DELETE FROM users WHERE name = ?').run(userName);
  }
}
