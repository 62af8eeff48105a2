// The authorization function the console reuses: decisions, deciding statements and AWS's
// AccessDenied wording for a principal and a request context; the root user; and its decision
// cache, which must follow every change of policy and every change of a key the policies read.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildRequestContext, type ContextPrincipal, type IamServer } from '../../emulator/iam/index.ts';
import { referencedContextKeys } from '../../emulator/iam/authorize.ts';
import { fixture, startTestServer } from './support.ts';

let server: IamServer;
let nia: ContextPrincipal;
let workshopArn: string;

const context = (principal: ContextPrincipal, now = Date.now()) => buildRequestContext({ caller: principal, now, sourceIp: '127.0.0.1', secureTransport: false, region: 'us-east-1' });

test.before(async () => {
  server = await startTestServer();
  const { store } = server;
  const user = store.transaction(() => {
    const created = store.users.create({ userName: 'nia' });
    workshopArn = store.policies.create({ policyName: 'MFAHardDevice', document: fixture('workshop-mfa.json') }).arn;
    store.policies.attach('user', 'nia', workshopArn);
    store.policies.attach('user', 'nia', 'arn:aws:iam::aws:policy/IAMUserChangePassword');
    return created;
  });
  nia = { kind: 'user', accountId: server.accountId, arn: user.arn, userId: user.userId, userName: user.userName, session: undefined };
});

test.after(async () => {
  await server.close();
});

test('explicit deny with the deciding statement, and the message AWS sends', async () => {
  const result = await server.authorize({ principal: nia, action: 'iam:ChangePassword', resourceArn: nia.arn, context: context(nia) });
  assert.is(result.decision, 'explicitDeny');
  assert.equal(result.matchedStatements.map((s) => [s.policy.id, s.statementNumber]), [['MFAHardDevice', 2]]);
  assert.is(result.message, `User: ${nia.arn} is not authorized to perform: iam:ChangePassword on resource: ${nia.arn} with an explicit deny in an identity-based policy`);
});

test('an MFA session (as the console makes one) lifts the deny', async () => {
  const signedIn = { ...nia, session: { mfaAuthenticatedAt: new Date(Date.now() - 60_000) } };
  const ctx = context(signedIn);
  assert.is(ctx['aws:MultiFactorAuthPresent'], 'true');
  assert.is(ctx['aws:MultiFactorAuthAge'], '60');
  const result = await server.authorize({ principal: signedIn, action: 'iam:ChangePassword', resourceArn: nia.arn, context: ctx });
  assert.is(result.decision, 'allowed');
  assert.equal(result.matchedStatements.map((s) => s.policy.id), ['IAMUserChangePassword']);
  assert.is(result.message, undefined);
});

test('the root user is always allowed', async () => {
  const root: ContextPrincipal = { kind: 'root', accountId: server.accountId, arn: `arn:aws:iam::${server.accountId}:root`, userId: server.accountId, userName: undefined, session: undefined };
  const result = await server.authorize({ principal: root, action: 'iam:DeleteUser', resourceArn: nia.arn, context: context(root) });
  assert.is(result.decision, 'allowed');
});

test('cached decisions follow policy changes', async () => {
  const ask = () => server.authorize({ principal: nia, action: 'iam:ListUsers', resourceArn: `arn:aws:iam::${server.accountId}:user/`, context: context(nia) });
  assert.is((await ask()).decision, 'implicitDeny');
  assert.is((await ask()).decision, 'implicitDeny');
  server.store.policies.attach('user', 'nia', 'arn:aws:iam::aws:policy/IAMReadOnlyAccess');
  assert.is((await ask()).decision, 'allowed');
  server.store.policies.detach('user', 'nia', 'arn:aws:iam::aws:policy/IAMReadOnlyAccess');
  assert.is((await ask()).decision, 'implicitDeny');
});

test('policies that read the clock are evaluated every time', async () => {
  const until = Date.parse('2030-01-01T00:00:00Z');
  server.store.inlinePolicies.put('user', 'nia', 'UntilNewYear', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:GetGroup', Resource: '*', Condition: { DateLessThan: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' } } }] }));
  const ask = (now: number) => server.authorize({ principal: nia, action: 'iam:GetGroup', resourceArn: `arn:aws:iam::${server.accountId}:group/g`, context: context(nia, now) });
  assert.is((await ask(until - 1000)).decision, 'allowed');
  assert.is((await ask(until + 1000)).decision, 'implicitDeny');
  assert.is((await ask(until - 1000)).decision, 'allowed');
});

test('referenced context keys: condition keys and variables, once each whatever their case', () => {
  const keys = referencedContextKeys([fixture('workshop-mfa.json'), JSON.stringify({ Statement: [{ Effect: 'Allow', Action: '*', Resource: '${AWS:UserName}', Condition: { StringEquals: { 'aws:SourceIp': 'x' } } }] })]);
  assert.equal(keys, ['aws:MultiFactorAuthPresent', 'aws:SourceIp', 'aws:username']);
});

test.run();
