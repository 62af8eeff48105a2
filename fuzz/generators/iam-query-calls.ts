// Valid IAM and STS Query API calls, generated from the mock's action table (emulator/iam/actions):
// every action with its required members and a random choice of its optional ones, each value
// within the member's rule. Names come from small pools so that calls meet each other's entities
// (created, found, already there, still attached, over quota), and the state stays bounded.
import fc from 'fast-check';
import { ACTIONS, DEFAULT_ACCOUNT_ID } from '../../emulator/iam/index.ts';
import { findAction, type ActionEntry } from '../../emulator/iam/actions/table.ts';
import type { Service } from '../../emulator/iam/actions/action.ts';
import type { MemberRule, StringRule } from '../../emulator/iam/validation.ts';
import { AWS_MANAGED_POLICIES } from '../../emulator/iam/aws-managed-policies.ts';

/** Query API members of one call, in the order sent (Action and Version come separately). */
export type Members = Array<[string, string]>;

/** One call by name (findings print it), with its members. */
export interface QueryCall {
  service: Service;
  action: string;
  members: Members;
}

/** The action table's entry of a generated call. */
export const entryOf = (call: Pick<QueryCall, 'service' | 'action'>): ActionEntry => findAction(call.service, call.action)!;

/** Entity names the calls share: case variants collide as AWS names do. */
export const IAM_FUZZ_POOLS = {
  users: ['ann', 'Ann', 'bob', 'cy.d@e'],
  groups: ['devs', 'Ops'],
  policies: ['p1', 'P1', 'p2'],
  mfaDevices: ['m1', 'm2'],
  paths: ['/', '/team/', '/a/b/'],
} as const;

const account = DEFAULT_ACCOUNT_ID;
const arn = (type: string, path: string, name: string): string => `arn:aws:iam::${account}:${type}${path}${name}`;

const pick = <T>(values: readonly T[]): fc.Arbitrary<T> => fc.constantFrom(...values);
const userName = pick(IAM_FUZZ_POOLS.users);
const path = pick(IAM_FUZZ_POOLS.paths);
const digits6 = fc.stringMatching(/^\d{6}$/);

/** A policy document: the allow-all, one read action, or the workshop-style deny without MFA. */
export const SMALL_POLICY_DOCUMENTS = [
  '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}',
  '{"Version":"2012-10-17","Statement":[{"Sid":"Read","Effect":"Allow","Action":["iam:Get*","iam:List*"],"Resource":"*"}]}',
  '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","NotAction":"iam:ListMFADevices","Resource":"arn:aws:iam::*:user/${aws:username}","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}]}',
] as const;

const policyArns = [
  ...IAM_FUZZ_POOLS.policies.flatMap((name) => [arn('policy', '/', name), arn('policy', '/team/', name)]),
  ...AWS_MANAGED_POLICIES.map((policy) => `arn:aws:iam::aws:policy/${policy.name}`),
];

const listOf = (name: string, item: fc.Arbitrary<string>, minLength = 0): fc.Arbitrary<Members> =>
  fc.array(item, { minLength, maxLength: 3 }).map((items) => items.map((value, i): [string, string] => [`${name}.member.${i + 1}`, value]));

const tagKey = fc.oneof(pick(['team', 'Team', 'cost-center', 'a:b/c=d+e@f']), fc.stringMatching(/^[\p{L}\p{N}_.:/=+\-@ ]{1,12}$/u));
const tagValue = fc.oneof(pick(['', 'red', 'x y']), fc.stringMatching(/^[\p{L}\p{N}_.:/=+\-@ ]{0,12}$/u));
const tags = fc.array(fc.tuple(tagKey, tagValue), { maxLength: 3 }).map((pairs) =>
  pairs.flatMap(([key, value], i): Members => [
    [`Tags.member.${i + 1}.Key`, key],
    [`Tags.member.${i + 1}.Value`, value],
  ]),
);

const contextEntries = fc
  .array(
    fc.record({
      name: pick(['aws:username', 'aws:MultiFactorAuthPresent', 'aws:SourceIp', 'aws:CurrentTime', 'iam:PolicyARN']),
      type: pick(['string', 'stringList', 'boolean', 'ip', 'date', 'numeric', 'binary']),
      values: fc.array(pick(['ann', 'true', 'false', '10.0.0.1', '2024-01-01T00:00:00Z', '7', 'eA==']), { maxLength: 2 }),
    }),
    { maxLength: 2 },
  )
  .map((entries) =>
    entries.flatMap(({ name, type, values }, i): Members => [
      [`ContextEntries.member.${i + 1}.ContextKeyName`, name],
      [`ContextEntries.member.${i + 1}.ContextKeyType`, type],
      ...values.map((value, j): [string, string] => [`ContextEntries.member.${i + 1}.ContextKeyValues.member.${j + 1}`, value]),
    ]),
  );

const single = (name: string, value: fc.Arbitrary<string>): fc.Arbitrary<Members> => value.map((v) => [[name, v]]);

/** Members whose meaning the mock looks at: drawn from the pools, other entities' names and ARNs. */
const SEMANTIC: Record<string, fc.Arbitrary<Members>> = {
  UserName: single('UserName', userName),
  GroupName: single('GroupName', pick(IAM_FUZZ_POOLS.groups)),
  PolicyName: single('PolicyName', pick(IAM_FUZZ_POOLS.policies)),
  VirtualMFADeviceName: single('VirtualMFADeviceName', pick(IAM_FUZZ_POOLS.mfaDevices)),
  Path: single('Path', path),
  PathPrefix: single('PathPrefix', pick(['/', '/team/', '/a/'])),
  PolicyArn: single('PolicyArn', pick(policyArns)),
  PolicyDocument: single('PolicyDocument', pick(SMALL_POLICY_DOCUMENTS)),
  Description: single('Description', pick(['', 'fuzz', 'ü<&>'])),
  VersionId: single('VersionId', pick(['v1', 'v2', 'v3', 'v6', 'v1.x'])),
  SerialNumber: single('SerialNumber', fc.oneof(fc.tuple(path, pick(IAM_FUZZ_POOLS.mfaDevices)).map(([p, n]) => arn('mfa', p, n)), fc.constant('GAHT12345678'))),
  AccessKeyId: single('AccessKeyId', fc.oneof(fc.constant('AKIAIOSFODNN7EXAMPLE'), fc.stringMatching(/^AKIA[A-Z2-7]{16}$/))),
  AuthenticationCode1: single('AuthenticationCode1', digits6),
  AuthenticationCode2: single('AuthenticationCode2', digits6),
  TokenCode: single('TokenCode', digits6),
  Password: single('Password', pick(['Fuzz-Passw0rd!', 'weak'])),
  OldPassword: single('OldPassword', pick(['Fuzz-Passw0rd!', 'wrong'])),
  NewPassword: single('NewPassword', pick(['Fuzz-Passw0rd!2', 'weak'])),
  AccountAlias: single('AccountAlias', pick(['fuzz-alias', 'other-alias'])),
  DurationSeconds: single('DurationSeconds', pick(['900', '3600'])),
  MaxItems: single('MaxItems', pick(['1', '2', '1000'])),
  Marker: single('Marker', fc.nat(4).map((n) => Buffer.from(`keyloop:${n}`).toString('base64url'))),
  Tags: tags,
  TagKeys: listOf('TagKeys', tagKey, 1),
  ActionNames: listOf('ActionNames', pick(['iam:GetUser', 'iam:ListUsers', 'iam:CreateUser', 'sts:GetCallerIdentity', 's3:GetObject']), 1),
  ResourceArns: listOf('ResourceArns', fc.oneof(pick(['*', 'arn:aws:s3:::bucket/key']), userName.map((name) => arn('user', '/', name)))),
  PolicyInputList: listOf('PolicyInputList', pick(SMALL_POLICY_DOCUMENTS), 1),
  PolicySourceArn: single('PolicySourceArn', fc.oneof(userName.map((name) => arn('user', '/', name)), pick(IAM_FUZZ_POOLS.groups).map((name) => arn('group', '/', name)))),
  CallerArn: single('CallerArn', userName.map((name) => arn('user', '/', name))),
  ContextEntries: contextEntries,
};

/** Any string the rule accepts, for members without a pool. */
function ruleString(rule: StringRule): fc.Arbitrary<string> {
  if (rule.enum) return pick(rule.enum);
  const base = rule.pattern ? fc.stringMatching(rule.pattern.regex, { size: 'small' }) : fc.string({ unit: 'grapheme', maxLength: 16 });
  return base.filter((value) => [...value].length >= (rule.min ?? 0) && [...value].length <= (rule.max ?? Infinity));
}

/** Valid members for one rule; the fallback for members the pools do not cover. */
export function ruleMembers(name: string, rule: MemberRule): fc.Arbitrary<Members> {
  switch (rule.kind) {
    case 'string':
      return single(name, ruleString(rule));
    case 'integer':
      return single(name, fc.integer({ min: rule.min ?? -1000, max: rule.max ?? 1000 }).map(String));
    case 'boolean':
      return single(name, pick(['true', 'false']));
    case 'list':
      return listOf(name, ruleString(rule.item), rule.minItems ?? 0);
    case 'structs':
      return fc.constant([]);
  }
}

const membersFor = (name: string, rule: MemberRule): fc.Arbitrary<Members> => SEMANTIC[name] ?? ruleMembers(name, rule);

/**
 * A valid call of `entry`: every required member, each optional one or not. `withUserName` always
 * sends an optional UserName, for callers (root) that have no user of their own to default to.
 */
export function validCall(entry: ActionEntry, { withUserName = false } = {}): fc.Arbitrary<QueryCall> {
  const members = Object.entries(entry.params).map(([name, rule]) => {
    const value = rule.required ? membersFor(name, rule).filter((fields) => fields.length > 0) : membersFor(name, rule);
    if (rule.required || (withUserName && name === 'UserName')) return value;
    return fc.option(value, { nil: [] as Members });
  });
  return fc.tuple(...members).map((parts) => ({ service: entry.service, action: entry.name, members: parts.flat() }));
}

export const ACTION_ENTRIES: readonly ActionEntry[] = [...ACTIONS.values()];
