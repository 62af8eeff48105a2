// Request parameters of the AWS Query protocol: an `application/x-www-form-urlencoded` body whose
// lists are flattened as `Name.member.1`, `Name.member.2`, … and whose structures inside lists as
// `Name.member.1.Field` (IAM API Reference, "Making Query Requests").

export class QueryParams {
  readonly #fields: ReadonlyMap<string, string>;
  readonly #prefix: string;

  constructor(fields: ReadonlyMap<string, string>, prefix = '') {
    this.#fields = fields;
    this.#prefix = prefix;
  }

  static parse(body: string): QueryParams {
    const fields = new Map<string, string>();
    // The first occurrence of a name wins, so a repeated parameter cannot change what was signed
    // for the action that the router already chose.
    for (const [name, value] of new URLSearchParams(body)) if (!fields.has(name)) fields.set(name, value);
    return new QueryParams(fields);
  }

  get(name: string): string | undefined {
    return this.#fields.get(this.#prefix + name);
  }

  /** `Name.member.1 … Name.member.N`, stopping at the first gap. */
  list(name: string): string[] | undefined {
    const values: string[] = [];
    for (let i = 1; ; i++) {
      const value = this.#fields.get(`${this.#prefix}${name}.member.${i}`);
      if (value === undefined) break;
      values.push(value);
    }
    return values.length > 0 ? values : this.get(name) === '' ? [] : undefined;
  }

  /** Structures in a list: each member as its own view of the fields under `Name.member.N.`. */
  structs(name: string): QueryParams[] {
    const members: QueryParams[] = [];
    for (let i = 1; ; i++) {
      const prefix = `${this.#prefix}${name}.member.${i}.`;
      let present = false;
      for (const key of this.#fields.keys()) {
        if (key.startsWith(prefix)) {
          present = true;
          break;
        }
      }
      if (!present) break;
      members.push(new QueryParams(this.#fields, prefix));
    }
    return members;
  }
}
