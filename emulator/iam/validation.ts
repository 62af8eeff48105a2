// Parameter validation with AWS's wording: "N validation error(s) detected: Value 'x' at 'member'
// failed to satisfy constraint: Member must …" (the ValidationError of the AWS Query protocol).
// Each action declares its members with the rules from its page in the IAM/STS API reference.
import { IamError } from './errors.ts';
import type { QueryParams } from './query-params.ts';

export interface StringRule {
  readonly kind: 'string';
  readonly min?: number;
  readonly max?: number;
  /** The pattern as the API reference prints it (shown in messages) and compiled. */
  readonly pattern?: { readonly text: string; readonly regex: RegExp };
  readonly enum?: readonly string[];
}
export interface IntegerRule {
  readonly kind: 'integer';
  readonly min?: number;
  readonly max?: number;
}
export interface BooleanRule {
  readonly kind: 'boolean';
}
export interface ListRule {
  readonly kind: 'list';
  readonly item: StringRule;
  readonly minItems?: number;
}
/**
 * Lists of structures (`Tags.member.N.Key`, …). Members whose fields are declared are checked
 * here; lists declared without fields (ContextEntries, …) are checked by their action.
 */
export interface StructListRule {
  readonly kind: 'structs';
  /** Rules for each member's fields, by the Query API's field name. */
  readonly fields?: Readonly<Record<string, StringRule & { readonly required?: boolean }>>;
  readonly maxItems?: number;
}
export type MemberRule = (StringRule | IntegerRule | BooleanRule | ListRule | StructListRule) & { readonly required?: boolean };
export type ParamSpec = Readonly<Record<string, MemberRule>>;

export const str = (rule: { min?: number; max?: number; pattern?: string; enum?: readonly string[] } = {}): StringRule => ({
  kind: 'string',
  min: rule.min,
  max: rule.max,
  enum: rule.enum,
  pattern: rule.pattern === undefined ? undefined : { text: rule.pattern, regex: new RegExp(`^(?:${rule.pattern})$`, 'u') },
});
export const int = (min?: number, max?: number): IntegerRule => ({ kind: 'integer', min, max });
export const bool = (): BooleanRule => ({ kind: 'boolean' });
export const list = (item: StringRule, minItems?: number): ListRule => ({ kind: 'list', item, minItems });
export const structs = (rule: { fields?: StructListRule['fields']; maxItems?: number } = {}): StructListRule => ({ kind: 'structs', ...rule });
export const required = <R extends MemberRule>(rule: R): R & { required: true } => ({ ...rule, required: true });

/** `UserName` -> `userName`, the member name AWS prints. */
const memberName = (param: string): string => param[0].toLowerCase() + param.slice(1);
const quoted = (value: string): string => `'${value}'`;

function stringProblem(value: string, rule: StringRule): string | undefined {
  const length = [...value].length;
  if (rule.enum && !rule.enum.includes(value)) return `Member must satisfy enum value set: [${rule.enum.join(', ')}]`;
  if (rule.min !== undefined && length < rule.min) return `Member must have length greater than or equal to ${rule.min}`;
  if (rule.max !== undefined && length > rule.max) return `Member must have length less than or equal to ${rule.max}`;
  if (rule.pattern && !rule.pattern.regex.test(value)) return `Member must satisfy regular expression pattern: ${rule.pattern.text}`;
  return undefined;
}

function integerProblem(value: string, rule: IntegerRule): string | undefined {
  if (!/^-?\d{1,15}$/.test(value)) return 'Member must be an integer';
  const n = Number(value);
  if (rule.min !== undefined && n < rule.min) return `Member must have value greater than or equal to ${rule.min}`;
  if (rule.max !== undefined && n > rule.max) return `Member must have value less than or equal to ${rule.max}`;
  return undefined;
}

/** Parameters of one request after validation, read with the type their rule promised. */
export class Params {
  readonly #query: QueryParams;

  constructor(query: QueryParams) {
    this.#query = query;
  }

  /** A member whose rule is `required`: present once validation has passed. */
  required(name: string): string {
    const value = this.#query.get(name);
    if (value === undefined) throw new IamError('ServiceFailure', `parameter ${name} read as required but not declared so`);
    return value;
  }
  optional(name: string): string | undefined {
    return this.#query.get(name);
  }
  integer(name: string): number | undefined {
    const value = this.#query.get(name);
    return value === undefined ? undefined : Number(value);
  }
  boolean(name: string): boolean | undefined {
    const value = this.#query.get(name);
    return value === undefined ? undefined : value === 'true';
  }
  list(name: string): string[] | undefined {
    return this.#query.list(name);
  }
  structs(name: string): QueryParams[] {
    return this.#query.structs(name);
  }
}

export function validateParams(query: QueryParams, spec: ParamSpec): Params {
  const problems: string[] = [];
  const report = (param: string, value: string | null, constraint: string): void => {
    problems.push(`Value ${value === null ? 'null' : quoted(value)} at '${memberName(param)}' failed to satisfy constraint: ${constraint}`);
  };
  for (const [param, rule] of Object.entries(spec)) {
    if (rule.kind === 'structs') {
      const members = query.structs(param);
      if (rule.required && members.length === 0) report(param, null, 'Member must not be null');
      const fields = Object.entries(rule.fields ?? {});
      if (rule.maxItems !== undefined && members.length > rule.maxItems) {
        const shown = members.map((member) => `{${fields.map(([field]) => `${field}=${member.get(field) ?? 'null'}`).join(', ')}}`);
        report(param, `[${shown.join(', ')}]`, `Member must have length less than or equal to ${rule.maxItems}`);
      }
      members.forEach((member, i) => {
        for (const [field, fieldRule] of fields) {
          const value = member.get(field);
          const at = `${param}.${i + 1}.member.${memberName(field)}`;
          if (value === undefined) {
            if (fieldRule.required) report(at, null, 'Member must not be null');
            continue;
          }
          const problem = stringProblem(value, fieldRule);
          if (problem) report(at, value, problem);
        }
      });
      continue;
    }
    if (rule.kind === 'list') {
      const items = query.list(param);
      if (items === undefined) {
        if (rule.required) report(param, null, 'Member must not be null');
        continue;
      }
      if (rule.minItems !== undefined && items.length < rule.minItems) {
        report(param, `[${items.join(', ')}]`, `Member must have length greater than or equal to ${rule.minItems}`);
      }
      items.forEach((item, i) => {
        const problem = stringProblem(item, rule.item);
        if (problem) report(`${param}.${i + 1}`, item, problem);
      });
      continue;
    }
    const value = query.get(param);
    if (value === undefined) {
      if (rule.required) report(param, null, 'Member must not be null');
      continue;
    }
    const problem =
      rule.kind === 'string'
        ? stringProblem(value, rule)
        : rule.kind === 'integer'
          ? integerProblem(value, rule)
          : value === 'true' || value === 'false'
            ? undefined
            : 'Member must be a boolean';
    if (problem) report(param, value, problem);
  }
  if (problems.length > 0) {
    const count = problems.length === 1 ? '1 validation error detected' : `${problems.length} validation errors detected`;
    throw new IamError('ValidationError', `${count}: ${problems.join('; ')}`);
  }
  return new Params(query);
}
