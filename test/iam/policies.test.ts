// Managed and inline policies through the AWS SDK: validation on write, versions, attachment
// quotas and conflicts, AWS managed policies, authorization through groups and inline policies,
// and SimulatePrincipalPolicy over a user's real policy set.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateUserCommand,
  DeletePolicyCommand,
  DeletePolicyVersionCommand,
  DeleteUserPolicyCommand,
  DetachGroupPolicyCommand,
  DetachUserPolicyCommand,
  GetGroupPolicyCommand,
  GetPolicyVersionCommand,
  GetUserCommand,
  GetUserPolicyCommand,
  ListAttachedGroupPoliciesCommand,
  ListGroupPoliciesCommand,
  ListPoliciesCommand,
  ListPolicyVersionsCommand,
  ListUserPoliciesCommand,
  ListUsersCommand,
  PutGroupPolicyCommand,
  PutUserPolicyCommand,
  SimulatePrincipalPolicyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import type { IamServer } from '../../emulator/iam/index.ts';
import { errorOf, fixture, iamClient, startTestServer } from './support.ts';

const doc = (...statements: object[]): string => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const ALLOW_GET_USER = doc({ Effect: 'Allow', Action: 'iam:GetUser', Resource: '*' });

let server: IamServer;
let iam: IAMClient;

test.before(async () => {
  server = await startTestServer();
  iam = iamClient(server);
  for (const name of ['gina', 'hal']) await iam.send(new CreateUserCommand({ UserName: name }));
});

test.after(async () => {
  await server.close();
});

test('documents are validated on write with a message that says what is wrong', async () => {
  const cases: Array<[string, RegExp]> = [
    ['{"Version": "2012-10-17", "Statement": [', /not valid JSON/],
    [doc({ Effect: 'Allow', Action: 'iam:GetUser', Resource: '*', Colour: 'red' }), /Unknown element 'Colour' in statement 1/],
    [doc({ Effect: 'allow', Action: 'iam:GetUser', Resource: '*' }), /Invalid effect "allow" in statement 1/],
    [doc({ Effect: 'Allow', Action: 'iam:GetUser', Resource: 'user/alice' }), /Resource user\/alice must be in ARN format or "\*"/],
    [doc({ Effect: 'Allow', Action: 'iam:GetUser', Resource: 'arn:aws:iam' }), /must be in ARN format/],
    [doc({ Effect: 'Allow', Action: 'iam:GetUser', Resource: '*', Condition: { StringEqualz: { 'aws:username': 'a' } } }), /Unsupported condition operator 'StringEqualz'/],
    [doc({ Effect: 'Allow', Action: 'GetUser', Resource: '*' }), /must be prefaced by a vendor/],
    [doc({ Effect: 'Allow', Resource: '*' }), /Policy statement must contain actions/],
    [doc({ Effect: 'Allow', Action: 'iam:GetUser' }), /Policy statement must contain resources/],
    [doc({ Effect: 'Allow', Action: 'iam:GetUser', Resource: '*', Principal: '*' }), /should not specify a principal/],
    [JSON.stringify({ Version: '2012-10-18', Statement: [] }), /Version "2012-10-18" is not valid/],
    [JSON.stringify({ Version: '2012-10-17' }), /Missing required field Statement/],
  ];
  for (const [document, message] of cases) {
    const error = await errorOf(iam.send(new CreatePolicyCommand({ PolicyName: 'Bad', PolicyDocument: document })));
    assert.equal([error.code, error.status], ['MalformedPolicyDocument', 400], document);
    assert.match(error.message, message);
  }
  const inline = await errorOf(iam.send(new PutUserPolicyCommand({ UserName: 'gina', PolicyName: 'bad', PolicyDocument: '[]' })));
  assert.is(inline.code, 'MalformedPolicyDocument');
});

test('an Id that is no string and a condition key without a vendor are malformed (found by the policy-documents fuzz target)', async () => {
  // An accepted `"Id": [[]]` made every later call of the policy's users a ServiceFailure (500):
  // the evaluator refuses such a document.
  const allowAll = { Effect: 'Allow', Action: '*', Resource: '*' };
  for (const document of [
    JSON.stringify({ Version: '2012-10-17', Id: [[]], Statement: allowAll }),
    JSON.stringify({ Version: '2012-10-17', Id: 5, Statement: allowAll }),
    doc({ ...allowAll, Condition: { StringEquals: { ':x': 'a' } } }),
  ]) {
    assert.is((await errorOf(iam.send(new CreatePolicyCommand({ PolicyName: 'Odd', PolicyDocument: document })))).code, 'MalformedPolicyDocument', document);
    assert.is((await errorOf(iam.send(new PutUserPolicyCommand({ UserName: 'hal', PolicyName: 'odd', PolicyDocument: document })))).code, 'MalformedPolicyDocument', document);
  }
  assert.equal((await iam.send(new ListUserPoliciesCommand({ UserName: 'hal' }))).PolicyNames, []);
  await iam.send(new PutUserPolicyCommand({ UserName: 'hal', PolicyName: 'named', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Id: 'named', Statement: allowAll }) }));
  await iam.send(new DeleteUserPolicyCommand({ UserName: 'hal', PolicyName: 'named' }));
});

test('managed policy versions: up to five, a default, conflicts on delete', async () => {
  const { Policy } = await iam.send(new CreatePolicyCommand({ PolicyName: 'Versions', Path: '/team/', PolicyDocument: ALLOW_GET_USER, Description: 'test' }));
  const arn = Policy!.Arn!;
  assert.is(arn, 'arn:aws:iam::123456789012:policy/team/Versions');
  assert.is((await errorOf(iam.send(new CreatePolicyCommand({ PolicyName: 'versions', PolicyDocument: ALLOW_GET_USER })))).code, 'EntityAlreadyExists');
  for (let i = 2; i <= 5; i++) {
    const v = await iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: doc({ Effect: 'Allow', Action: `iam:List${'Users'}`, Resource: '*', Sid: `V${i}` }), SetAsDefault: i === 3 }));
    assert.is(v.PolicyVersion!.VersionId, `v${i}`);
  }
  const sixth = await errorOf(iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: ALLOW_GET_USER })));
  assert.equal([sixth.code, sixth.status], ['LimitExceeded', 409]);
  const versions = await iam.send(new ListPolicyVersionsCommand({ PolicyArn: arn }));
  assert.equal(versions.Versions!.map((v) => [v.VersionId, v.IsDefaultVersion]), [['v5', false], ['v4', false], ['v3', true], ['v2', false], ['v1', false]]);
  assert.match(decodeURIComponent((await iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v3' }))).PolicyVersion!.Document!), /"V3"/);
  assert.is((await errorOf(iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: 'v3' })))).code, 'DeleteConflict');
  assert.is((await errorOf(iam.send(new DeletePolicyCommand({ PolicyArn: arn })))).code, 'DeleteConflict');
  for (const v of ['v1', 'v2', 'v4', 'v5']) await iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: v }));
  await iam.send(new AttachUserPolicyCommand({ UserName: 'gina', PolicyArn: arn }));
  assert.is((await errorOf(iam.send(new DeletePolicyCommand({ PolicyArn: arn })))).code, 'DeleteConflict');
  await iam.send(new DetachUserPolicyCommand({ UserName: 'gina', PolicyArn: arn }));
  assert.is((await errorOf(iam.send(new DetachUserPolicyCommand({ UserName: 'gina', PolicyArn: arn })))).code, 'NoSuchEntity');
  await iam.send(new DeletePolicyCommand({ PolicyArn: arn }));
  assert.is((await errorOf(iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v3' })))).code, 'NoSuchEntity');
});

test('AWS managed policies: listed, attachable, unchangeable', async () => {
  const aws = await iam.send(new ListPoliciesCommand({ Scope: 'AWS' }));
  assert.equal(aws.Policies!.map((p) => p.PolicyName), ['AdministratorAccess', 'IAMReadOnlyAccess', 'IAMUserChangePassword']);
  const readOnly = 'arn:aws:iam::aws:policy/IAMReadOnlyAccess';
  assert.match(decodeURIComponent((await iam.send(new GetPolicyVersionCommand({ PolicyArn: readOnly, VersionId: 'v4' }))).PolicyVersion!.Document!), /iam:SimulatePrincipalPolicy/);
  assert.is((await errorOf(iam.send(new CreatePolicyVersionCommand({ PolicyArn: readOnly, PolicyDocument: ALLOW_GET_USER })))).code, 'AccessDenied');
  assert.is((await errorOf(iam.send(new AttachUserPolicyCommand({ UserName: 'gina', PolicyArn: 'arn:aws:iam::aws:policy/NoSuchPolicy' })))).code, 'NoSuchEntity');
  assert.is((await errorOf(iam.send(new AttachUserPolicyCommand({ UserName: 'gina', PolicyArn: 'arn:aws:iam::aws:user/gina' })))).code, 'InvalidInput');
});

test('at most ten managed policies per user', async () => {
  for (let i = 0; i < 10; i++) {
    const { Policy } = await iam.send(new CreatePolicyCommand({ PolicyName: `Quota${i}`, PolicyDocument: ALLOW_GET_USER }));
    await iam.send(new AttachUserPolicyCommand({ UserName: 'hal', PolicyArn: Policy!.Arn! }));
  }
  const error = await errorOf(iam.send(new AttachUserPolicyCommand({ UserName: 'hal', PolicyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' })));
  assert.equal([error.code, error.status], ['LimitExceeded', 409]);
  assert.ok(await iam.send(new AttachUserPolicyCommand({ UserName: 'hal', PolicyArn: 'arn:aws:iam::123456789012:policy/Quota0' })), 'attaching again is no change');
});

test('inline policies: put, get, list, size quota', async () => {
  await iam.send(new PutUserPolicyCommand({ UserName: 'gina', PolicyName: 'SelfRead', PolicyDocument: ALLOW_GET_USER }));
  const got = await iam.send(new GetUserPolicyCommand({ UserName: 'gina', PolicyName: 'SelfRead' }));
  assert.is(decodeURIComponent(got.PolicyDocument!), ALLOW_GET_USER);
  assert.equal((await iam.send(new ListUserPoliciesCommand({ UserName: 'gina' }))).PolicyNames, ['SelfRead']);
  const big = doc({ Effect: 'Allow', Action: Array.from({ length: 120 }, (_, i) => `iam:GetUser${i}`), Resource: '*' });
  const quota = await errorOf(iam.send(new PutUserPolicyCommand({ UserName: 'gina', PolicyName: 'Big', PolicyDocument: big })));
  assert.equal([quota.code, quota.status], ['LimitExceeded', 409]);
  assert.is((await errorOf(iam.send(new GetUserPolicyCommand({ UserName: 'gina', PolicyName: 'Nope' })))).code, 'NoSuchEntity');
});

test("a user's permissions come from inline, attached and group policies", async () => {
  await iam.send(new CreateUserCommand({ UserName: 'ivy' }));
  const key = await iam.send(new CreateAccessKeyCommand({ UserName: 'ivy' }));
  const ivy = iamClient(server, { accessKeyId: key.AccessKey!.AccessKeyId!, secretAccessKey: key.AccessKey!.SecretAccessKey! });
  assert.is((await errorOf(ivy.send(new ListUsersCommand({})))).code, 'AccessDenied');
  await iam.send(new CreateGroupCommand({ GroupName: 'Readers' }));
  await iam.send(new AttachGroupPolicyCommand({ GroupName: 'Readers', PolicyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' }));
  await iam.send(new AddUserToGroupCommand({ GroupName: 'Readers', UserName: 'ivy' }));
  assert.ok((await ivy.send(new ListUsersCommand({}))).Users!.length > 0);
  await iam.send(new PutGroupPolicyCommand({ GroupName: 'Readers', PolicyName: 'NoGina', PolicyDocument: doc({ Effect: 'Deny', Action: 'iam:*', Resource: 'arn:aws:iam::*:user/gina' }) }));
  assert.equal((await iam.send(new ListGroupPoliciesCommand({ GroupName: 'Readers' }))).PolicyNames, ['NoGina']);
  assert.match(decodeURIComponent((await iam.send(new GetGroupPolicyCommand({ GroupName: 'Readers', PolicyName: 'NoGina' }))).PolicyDocument!), /Deny/);
  const denied = await errorOf(ivy.send(new GetUserCommand({ UserName: 'gina' })));
  assert.match(denied.message, /with an explicit deny in an identity-based policy$/);
  assert.equal((await iam.send(new ListAttachedGroupPoliciesCommand({ GroupName: 'Readers' }))).AttachedPolicies!.map((p) => p.PolicyName), ['IAMReadOnlyAccess']);
  await iam.send(new DetachGroupPolicyCommand({ GroupName: 'Readers', PolicyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' }));
  assert.is((await errorOf(ivy.send(new ListUsersCommand({})))).code, 'AccessDenied');
});

test("SimulatePrincipalPolicy evaluates a user's own policy set, caller variables filled in", async () => {
  await iam.send(new CreateUserCommand({ UserName: 'jo' }));
  const { Policy } = await iam.send(new CreatePolicyCommand({ PolicyName: 'Workshop', PolicyDocument: fixture('workshop-mfa.json') }));
  await iam.send(new AttachUserPolicyCommand({ UserName: 'jo', PolicyArn: Policy!.Arn! }));
  await iam.send(new AttachUserPolicyCommand({ UserName: 'jo', PolicyArn: 'arn:aws:iam::aws:policy/IAMUserChangePassword' }));
  const jo = 'arn:aws:iam::123456789012:user/jo';
  const simulate = (mfa?: string) =>
    iam.send(
      new SimulatePrincipalPolicyCommand({
        PolicySourceArn: jo,
        ActionNames: ['iam:ChangePassword', 'iam:ListMFADevices', 'iam:CreateUser'],
        ResourceArns: [jo],
        ContextEntries: mfa === undefined ? undefined : [{ ContextKeyName: 'aws:MultiFactorAuthPresent', ContextKeyType: 'boolean', ContextKeyValues: [mfa] }],
      }),
    );
  const without = await simulate();
  // CreateUser on jo's own ARN falls under the workshop's Deny as well.
  assert.equal(without.EvaluationResults!.map((r) => r.EvalDecision), ['explicitDeny', 'allowed', 'explicitDeny']);
  assert.equal(without.EvaluationResults![0].MatchedStatements!.map((s) => [s.SourcePolicyId, s.SourcePolicyType]), [['Workshop', 'user-managed']]);
  assert.equal(without.EvaluationResults![0].MissingContextValues, ['aws:MultiFactorAuthPresent']);
  const withMfa = await simulate('true');
  assert.equal(withMfa.EvaluationResults!.map((r) => r.EvalDecision), ['allowed', 'allowed', 'implicitDeny']);
  assert.equal(withMfa.EvaluationResults![0].MatchedStatements!.map((s) => [s.SourcePolicyId, s.SourcePolicyType]), [['IAMUserChangePassword', 'aws-managed']]);
  const missing = await errorOf(iam.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: 'arn:aws:iam::123456789012:user/nobody', ActionNames: ['iam:GetUser'] })));
  assert.is(missing.code, 'NoSuchEntity');
});

test.run();
