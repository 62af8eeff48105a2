// Policy evaluation cases with the decisions the IAM User Guide documents ("Policy evaluation
// logic", "IAM JSON policy elements: NotAction / NotResource / Condition operators", "Single-valued
// vs. multivalued context keys"), asked through SimulateCustomPolicy with the AWS SDK.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SimulateCustomPolicyCommand, type ContextEntry, type IAMClient } from '@aws-sdk/client-iam';
import type { IamServer } from '../../emulator/iam/index.ts';
import { fixture, iamClient, startTestServer } from './support.ts';

type Statement = Record<string, unknown>;
type Decision = 'allowed' | 'explicitDeny' | 'implicitDeny';

interface Case {
  name: string;
  /** Each inner list is one policy of PolicyInputList. */
  policies: Statement[][] | string[];
  action: string;
  resource?: string;
  context?: ContextEntry[];
  expect: Decision;
}

const USER = (name: string): string => `arn:aws:iam::123456789012:user/${name}`;
const ctx = (key: string, type: ContextEntry['ContextKeyType'], ...values: string[]): ContextEntry => ({ ContextKeyName: key, ContextKeyType: type, ContextKeyValues: values });
const allow = (action: unknown, resource: unknown = '*', extra: Statement = {}): Statement => ({ Effect: 'Allow', Action: action, Resource: resource, ...extra });
const deny = (action: unknown, resource: unknown = '*', extra: Statement = {}): Statement => ({ Effect: 'Deny', Action: action, Resource: resource, ...extra });
const cond = (condition: Record<string, Record<string, unknown>>): Statement => ({ Condition: condition });

const CASES: Case[] = [
  { name: 'an allow grants', policies: [[allow('iam:GetUser')]], action: 'iam:GetUser', resource: USER('alice'), expect: 'allowed' },
  { name: 'nothing allows: implicit deny', policies: [[allow('iam:GetUser')]], action: 'iam:DeleteUser', resource: USER('alice'), expect: 'implicitDeny' },
  { name: 'explicit deny beats allow in the same policy', policies: [[allow('iam:*'), deny('iam:DeleteUser')]], action: 'iam:DeleteUser', resource: USER('alice'), expect: 'explicitDeny' },
  { name: 'explicit deny beats allow from another policy', policies: [[allow('*')], [deny('iam:*', USER('alice'))]], action: 'iam:GetUser', resource: USER('alice'), expect: 'explicitDeny' },
  { name: 'a deny elsewhere leaves the allow', policies: [[allow('*')], [deny('iam:*', USER('alice'))]], action: 'iam:GetUser', resource: USER('bob'), expect: 'allowed' },
  { name: 'NotAction allow grants the others', policies: [[{ Effect: 'Allow', NotAction: 'iam:DeleteUser', Resource: '*' }]], action: 'iam:GetUser', resource: USER('alice'), expect: 'allowed' },
  { name: 'NotAction allow does not grant the listed one', policies: [[{ Effect: 'Allow', NotAction: 'iam:DeleteUser', Resource: '*' }]], action: 'iam:DeleteUser', resource: USER('alice'), expect: 'implicitDeny' },
  { name: 'NotAction deny denies the others', policies: [[allow('*'), { Effect: 'Deny', NotAction: ['iam:Get*'], Resource: '*' }]], action: 'iam:DeleteUser', resource: USER('alice'), expect: 'explicitDeny' },
  { name: 'NotAction deny spares the listed ones', policies: [[allow('*'), { Effect: 'Deny', NotAction: ['iam:Get*'], Resource: '*' }]], action: 'iam:GetUser', resource: USER('alice'), expect: 'allowed' },
  { name: 'NotResource deny spares the listed resource', policies: [[allow('iam:*'), { Effect: 'Deny', Action: 'iam:*', NotResource: USER('alice') }]], action: 'iam:GetUser', resource: USER('alice'), expect: 'allowed' },
  { name: 'NotResource deny hits the others', policies: [[allow('iam:*'), { Effect: 'Deny', Action: 'iam:*', NotResource: USER('alice') }]], action: 'iam:GetUser', resource: USER('bob'), expect: 'explicitDeny' },
  { name: 'action wildcard *', policies: [[allow('iam:List*')]], action: 'iam:ListUsers', expect: 'allowed' },
  { name: 'action wildcard * is not everything', policies: [[allow('iam:List*')]], action: 'iam:GetUser', resource: USER('alice'), expect: 'implicitDeny' },
  { name: 'action wildcard ? matches one character', policies: [[allow('iam:GetUse?')]], action: 'iam:GetUser', resource: USER('alice'), expect: 'allowed' },
  { name: 'action names ignore case', policies: [[allow('IAM:getuser')]], action: 'iam:GetUser', resource: USER('alice'), expect: 'allowed' },
  { name: 'resource wildcard within a path', policies: [[allow('iam:GetUser', 'arn:aws:iam::123456789012:user/dev/*')]], action: 'iam:GetUser', resource: 'arn:aws:iam::123456789012:user/dev/alice', expect: 'allowed' },
  { name: 'resource wildcard outside the path', policies: [[allow('iam:GetUser', 'arn:aws:iam::123456789012:user/dev/*')]], action: 'iam:GetUser', resource: 'arn:aws:iam::123456789012:user/ops/alice', expect: 'implicitDeny' },
  { name: 'policy variable ${aws:username} matches the caller', policies: [[allow('iam:GetUser', 'arn:aws:iam::*:user/${aws:username}')]], action: 'iam:GetUser', resource: USER('alice'), context: [ctx('aws:username', 'string', 'alice')], expect: 'allowed' },
  { name: 'policy variable ${aws:username} does not match another user', policies: [[allow('iam:GetUser', 'arn:aws:iam::*:user/${aws:username}')]], action: 'iam:GetUser', resource: USER('bob'), context: [ctx('aws:username', 'string', 'alice')], expect: 'implicitDeny' },
  { name: 'policy variable without a value matches nothing', policies: [[allow('iam:GetUser', 'arn:aws:iam::*:user/${aws:username}')]], action: 'iam:GetUser', resource: USER('alice'), expect: 'implicitDeny' },
  { name: 'Bool true with MFA', policies: [[allow('iam:GetUser', '*', cond({ Bool: { 'aws:MultiFactorAuthPresent': 'true' } }))]], action: 'iam:GetUser', resource: USER('alice'), context: [ctx('aws:MultiFactorAuthPresent', 'boolean', 'true')], expect: 'allowed' },
  { name: 'Bool true without the key', policies: [[allow('iam:GetUser', '*', cond({ Bool: { 'aws:MultiFactorAuthPresent': 'true' } }))]], action: 'iam:GetUser', resource: USER('alice'), expect: 'implicitDeny' },
  { name: 'Bool false does not match an absent key', policies: [[allow('*'), deny('iam:*', '*', cond({ Bool: { 'aws:MultiFactorAuthPresent': 'false' } }))]], action: 'iam:GetUser', resource: USER('alice'), expect: 'allowed' },
  { name: 'BoolIfExists false matches an absent key (long-term keys)', policies: [[allow('*'), deny('iam:*', '*', cond({ BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } }))]], action: 'iam:GetUser', resource: USER('alice'), expect: 'explicitDeny' },
  { name: 'BoolIfExists false matches false', policies: [[allow('*'), deny('iam:*', '*', cond({ BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } }))]], action: 'iam:GetUser', resource: USER('alice'), context: [ctx('aws:MultiFactorAuthPresent', 'boolean', 'false')], expect: 'explicitDeny' },
  { name: 'BoolIfExists false does not match true', policies: [[allow('*'), deny('iam:*', '*', cond({ BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } }))]], action: 'iam:GetUser', resource: USER('alice'), context: [ctx('aws:MultiFactorAuthPresent', 'boolean', 'true')], expect: 'allowed' },
  { name: 'StringLike with a wildcard', policies: [[allow('iam:GetUser', '*', cond({ StringLike: { 'aws:username': 'ali*' } }))]], action: 'iam:GetUser', resource: USER('alice'), context: [ctx('aws:username', 'string', 'alice')], expect: 'allowed' },
  { name: 'StringLike not matching', policies: [[allow('iam:GetUser', '*', cond({ StringLike: { 'aws:username': 'ali*' } }))]], action: 'iam:GetUser', resource: USER('bob'), context: [ctx('aws:username', 'string', 'bob')], expect: 'implicitDeny' },
  { name: 'StringEquals is case-sensitive', policies: [[allow('iam:GetUser', '*', cond({ StringEquals: { 'aws:username': 'Alice' } }))]], action: 'iam:GetUser', resource: USER('alice'), context: [ctx('aws:username', 'string', 'alice')], expect: 'implicitDeny' },
  { name: 'ArnLike on the principal', policies: [[allow('iam:GetUser', '*', cond({ ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:user/admins/*' } }))]], action: 'iam:GetUser', resource: USER('alice'), context: [ctx('aws:PrincipalArn', 'string', 'arn:aws:iam::123456789012:user/admins/carol')], expect: 'allowed' },
  { name: 'ArnLike not matching', policies: [[allow('iam:GetUser', '*', cond({ ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:user/admins/*' } }))]], action: 'iam:GetUser', resource: USER('alice'), context: [ctx('aws:PrincipalArn', 'string', USER('alice'))], expect: 'implicitDeny' },
  { name: 'NumericLessThan inside the limit', policies: [[allow('iam:GetUser', '*', cond({ NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } }))]], action: 'iam:GetUser', resource: USER('alice'), context: [ctx('aws:MultiFactorAuthAge', 'numeric', '100')], expect: 'allowed' },
  { name: 'NumericLessThan past the limit', policies: [[allow('iam:GetUser', '*', cond({ NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } }))]], action: 'iam:GetUser', resource: USER('alice'), context: [ctx('aws:MultiFactorAuthAge', 'numeric', '7200')], expect: 'implicitDeny' },
  { name: 'NumericLessThan without the key', policies: [[allow('iam:GetUser', '*', cond({ NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } }))]], action: 'iam:GetUser', resource: USER('alice'), expect: 'implicitDeny' },
  { name: 'DateGreaterThan after the date', policies: [[allow('iam:GetUser', '*', cond({ DateGreaterThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } }))]], action: 'iam:GetUser', resource: USER('alice'), context: [ctx('aws:CurrentTime', 'date', '2024-06-01T12:00:00Z')], expect: 'allowed' },
  { name: 'DateGreaterThan before the date', policies: [[allow('iam:GetUser', '*', cond({ DateGreaterThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } }))]], action: 'iam:GetUser', resource: USER('alice'), context: [ctx('aws:CurrentTime', 'date', '2019-06-01T12:00:00Z')], expect: 'implicitDeny' },
  { name: 'IpAddress inside the range', policies: [[allow('iam:GetUser', '*', cond({ IpAddress: { 'aws:SourceIp': '192.0.2.0/24' } }))]], action: 'iam:GetUser', resource: USER('alice'), context: [ctx('aws:SourceIp', 'ip', '192.0.2.10')], expect: 'allowed' },
  { name: 'IpAddress outside the range', policies: [[allow('iam:GetUser', '*', cond({ IpAddress: { 'aws:SourceIp': '192.0.2.0/24' } }))]], action: 'iam:GetUser', resource: USER('alice'), context: [ctx('aws:SourceIp', 'ip', '203.0.113.5')], expect: 'implicitDeny' },
  { name: 'NotIpAddress deny from outside', policies: [[allow('*'), deny('*', '*', cond({ NotIpAddress: { 'aws:SourceIp': ['192.0.2.0/24', '127.0.0.0/8'] } }))]], action: 'iam:GetUser', resource: USER('alice'), context: [ctx('aws:SourceIp', 'ip', '203.0.113.5')], expect: 'explicitDeny' },
  { name: 'NotIpAddress deny spares inside', policies: [[allow('*'), deny('*', '*', cond({ NotIpAddress: { 'aws:SourceIp': ['192.0.2.0/24', '127.0.0.0/8'] } }))]], action: 'iam:GetUser', resource: USER('alice'), context: [ctx('aws:SourceIp', 'ip', '127.0.0.1')], expect: 'allowed' },
  { name: 'Null true: the key is absent', policies: [[allow('*'), deny('*', '*', cond({ Null: { 'aws:MultiFactorAuthAge': 'true' } }))]], action: 'iam:GetUser', resource: USER('alice'), expect: 'explicitDeny' },
  { name: 'Null true: the key is present', policies: [[allow('*'), deny('*', '*', cond({ Null: { 'aws:MultiFactorAuthAge': 'true' } }))]], action: 'iam:GetUser', resource: USER('alice'), context: [ctx('aws:MultiFactorAuthAge', 'numeric', '30')], expect: 'allowed' },
  { name: 'ForAnyValue: one value in the set', policies: [[allow('iam:CreateUser', '*', cond({ 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['env', 'team'] } }))]], action: 'iam:CreateUser', resource: USER('dave'), context: [ctx('aws:TagKeys', 'stringList', 'team', 'other')], expect: 'allowed' },
  { name: 'ForAnyValue: no value in the set', policies: [[allow('iam:CreateUser', '*', cond({ 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['env', 'team'] } }))]], action: 'iam:CreateUser', resource: USER('dave'), context: [ctx('aws:TagKeys', 'stringList', 'other')], expect: 'implicitDeny' },
  { name: 'ForAllValues: every value in the set', policies: [[allow('iam:CreateUser', '*', cond({ 'ForAllValues:StringEquals': { 'aws:TagKeys': ['env', 'team'] } }))]], action: 'iam:CreateUser', resource: USER('dave'), context: [ctx('aws:TagKeys', 'stringList', 'env', 'team')], expect: 'allowed' },
  { name: 'ForAllValues: one value outside the set', policies: [[allow('iam:CreateUser', '*', cond({ 'ForAllValues:StringEquals': { 'aws:TagKeys': ['env', 'team'] } }))]], action: 'iam:CreateUser', resource: USER('dave'), context: [ctx('aws:TagKeys', 'stringList', 'env', 'other')], expect: 'implicitDeny' },
  { name: 'ForAllValues: an absent key matches', policies: [[allow('iam:CreateUser', '*', cond({ 'ForAllValues:StringEquals': { 'aws:TagKeys': ['env', 'team'] } }))]], action: 'iam:CreateUser', resource: USER('dave'), expect: 'allowed' },
  { name: 'conditions in one block are ANDed', policies: [[allow('iam:GetUser', '*', cond({ Bool: { 'aws:MultiFactorAuthPresent': 'true' }, StringEquals: { 'aws:username': 'alice' } }))]], action: 'iam:GetUser', resource: USER('alice'), context: [ctx('aws:MultiFactorAuthPresent', 'boolean', 'true'), ctx('aws:username', 'string', 'bob')], expect: 'implicitDeny' },
  { name: 'values of one key are ORed', policies: [[allow('iam:GetUser', '*', cond({ StringEquals: { 'aws:username': ['bob', 'alice'] } }))]], action: 'iam:GetUser', resource: USER('alice'), context: [ctx('aws:username', 'string', 'alice')], expect: 'allowed' },
  { name: 'the workshop policy, no MFA, ChangePassword on oneself', policies: [fixture('workshop-mfa.json')], action: 'iam:ChangePassword', resource: USER('alice'), context: [ctx('aws:username', 'string', 'alice')], expect: 'explicitDeny' },
  { name: 'the workshop policy, no MFA, ListMFADevices on oneself', policies: [fixture('workshop-mfa.json')], action: 'iam:ListMFADevices', resource: USER('alice'), context: [ctx('aws:username', 'string', 'alice')], expect: 'allowed' },
  { name: 'the workshop policy, MFA, DeactivateMFADevice on oneself', policies: [fixture('workshop-mfa.json')], action: 'iam:DeactivateMFADevice', resource: USER('alice'), context: [ctx('aws:username', 'string', 'alice'), ctx('aws:MultiFactorAuthPresent', 'boolean', 'true')], expect: 'allowed' },
  { name: 'the workshop policy, no MFA, DeactivateMFADevice on oneself', policies: [fixture('workshop-mfa.json')], action: 'iam:DeactivateMFADevice', resource: USER('alice'), context: [ctx('aws:username', 'string', 'alice')], expect: 'explicitDeny' },
];

let server: IamServer;
let iam: IAMClient;

test.before(async () => {
  server = await startTestServer();
  iam = iamClient(server);
});

test.after(async () => {
  await server.close();
});

for (const c of CASES) {
  test(c.name, async () => {
    const documents = c.policies.map((p) => (typeof p === 'string' ? p : JSON.stringify({ Version: '2012-10-17', Statement: p })));
    const result = await iam.send(
      new SimulateCustomPolicyCommand({
        PolicyInputList: documents,
        ActionNames: [c.action],
        ResourceArns: c.resource === undefined ? undefined : [c.resource],
        ContextEntries: c.context,
      }),
    );
    const [evaluation] = result.EvaluationResults!;
    assert.is(evaluation.EvalDecision, c.expect);
    assert.is(evaluation.MatchedStatements!.length > 0, c.expect !== 'implicitDeny', 'matched statements name the deciding statements');
  });
}

test('matched statements point at the statement in the policy text', async () => {
  const policy = fixture('workshop-mfa.json');
  const result = await iam.send(
    new SimulateCustomPolicyCommand({ PolicyInputList: [policy], ActionNames: ['iam:GetLoginProfile'], ResourceArns: [USER('alice')], ContextEntries: [ctx('aws:username', 'string', 'alice')] }),
  );
  const [evaluation] = result.EvaluationResults!;
  const [statement] = evaluation.MatchedStatements!;
  assert.is(statement.SourcePolicyId, 'PolicyInputList.1');
  const lines = policy.split('\n');
  assert.match(lines[statement.StartPosition!.Line! - 1].slice(statement.StartPosition!.Column! - 1), /^\{/);
  assert.match(lines.slice(statement.StartPosition!.Line! - 1, statement.EndPosition!.Line!).join('\n'), /DenyAllExceptListedIfNoMFA/);
  assert.equal(evaluation.MissingContextValues, ['aws:MultiFactorAuthPresent']);
});

test('an action the service reference does not list is InvalidInput, not a failure (found by the iam-query fuzz target)', async () => {
  for (const action of ['sts:', 'sts:NoSuchAction', 'nosuchservice:GetThing', ':GetUser']) {
    const error = await iam
      .send(new SimulateCustomPolicyCommand({ PolicyInputList: [JSON.stringify({ Version: '2012-10-17', Statement: [allow('*')] })], ActionNames: [action] }))
      .then(() => undefined, (e: Error) => e);
    assert.is(error?.name, 'InvalidInputException', `${action}: ${error?.name} ${error?.message}`);
  }
});

test.run();
