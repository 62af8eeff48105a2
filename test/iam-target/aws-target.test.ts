// The `aws` target against the mock, reached the way a real account is: the AWS SDK's default
// credential chain and its endpoint resolution from AWS_ENDPOINT_URL_IAM / _STS (and a named
// profile from a shared credentials file). Resources get keyloop's name, path and tags; cleanup
// removes them with everything that hangs off them, and refuses what keyloop did not create.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AttachUserPolicyCommand,
  CreatePolicyVersionCommand,
  CreateUserCommand,
  DetachUserPolicyCommand,
  GetUserCommand,
  IAMClient,
  ListMFADevicesCommand,
  ListUserTagsCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { IamServer } from '../../emulator/iam/index.ts';
import { countOutcomes, IamResourceError, removeLeftovers, type CleanupStep } from '../../harness/iam/index.ts';
import { openIamTarget, parseIamTarget } from '../../harness/targets/iam-target.ts';
import { TargetError } from '../../harness/targets/resolve.ts';
import { addSecurityKey, awsEnvFor, keyloopEntities, rootClient, selfServicePolicy, setEnv, startServer } from './support.ts';

let server: IamServer;
let restoreEnv: () => void;

test.before(async () => {
  server = await startServer();
  restoreEnv = setEnv(awsEnvFor(server));
});

test.after(async () => {
  restoreEnv();
  await server.close();
});

const ofAction = (steps: CleanupStep[], action: string) => steps.filter((step) => step.action === action);

test('parseIamTarget: mock, aws, aws:PROFILE; anything else names the accepted forms', () => {
  assert.equal(parseIamTarget('mock'), { kind: 'mock' });
  assert.equal(parseIamTarget('aws'), { kind: 'aws' });
  assert.equal(parseIamTarget('aws:lab-admin'), { kind: 'aws', profile: 'lab-admin' });
  for (const bad of ['aws:', 'AWS', 'localstack', 'aws: x']) {
    assert.throws(() => parseIamTarget(bad), (error: Error) => error instanceof TargetError && error.message.includes('mock, aws, aws:PROFILE'));
  }
});

test('aws through AWS_ENDPOINT_URL_IAM/_STS: description, user keys, and cleanup of users, keys, profile, MFA, policies', async () => {
  const target = await openIamTarget('aws', { runId: 'r1' });
  assert.equal(target.description, {
    target: 'aws',
    kind: 'aws',
    endpoint: server.url,
    accountId: '123456789012',
    region: 'us-east-1',
    principalArn: 'arn:aws:iam::123456789012:root',
  });
  assert.equal([...target.capabilities], ['guided-console']);
  assert.is(target.consoleUrl, undefined);

  const { resources } = target;
  const alice = await resources.createUser('alice', { password: 'Workshop-Passw0rd!' });
  assert.equal(alice, { userName: 'keyloop-r1-alice', arn: 'arn:aws:iam::123456789012:user/keyloop-r1-alice', password: 'Workshop-Passw0rd!' });
  const root = rootClient(server);
  const tags = (await root.send(new ListUserTagsCommand({ UserName: alice.userName }))).Tags;
  assert.equal(tags, [{ Key: 'keyloop:created-by', Value: 'keyloop' }, { Key: 'keyloop:run', Value: 'r1' }]);

  const key = await resources.createAccessKey(alice.userName);
  const policy = await resources.createPolicy('mfa-self-service', selfServicePolicy);
  assert.is(policy.arn, 'arn:aws:iam::123456789012:policy/keyloop/keyloop-r1-mfa-self-service');
  await resources.attachUserPolicy(alice.userName, policy.arn);
  await resources.attachUserPolicy(alice.userName, 'arn:aws:iam::aws:policy/IAMReadOnlyAccess');
  assert.equal(resources.created.map((each) => each.kind), ['user', 'access-key', 'policy', 'attachment', 'attachment']);

  // The user's own keys, through the same settings with other credentials.
  const asAlice = new STSClient(target.clientConfig({ accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey }));
  assert.is((await asAlice.send(new GetCallerIdentityCommand({}))).Arn, alice.arn);
  asAlice.destroy();

  // What a scenario adds beyond the harness's records goes too: an inline policy, a second
  // policy version, a security key registered in the console.
  await root.send(new PutUserPolicyCommand({ UserName: alice.userName, PolicyName: 'inline', PolicyDocument: JSON.stringify(selfServicePolicy) }));
  await root.send(new CreatePolicyVersionCommand({ PolicyArn: policy.arn, PolicyDocument: JSON.stringify(selfServicePolicy), SetAsDefault: true }));
  const securityKey = addSecurityKey(server, alice.userName);
  const bob = await resources.createUser('bob');
  assert.is(bob.password, undefined);

  const report = await target.close();
  assert.equal(countOutcomes(report), { done: 10, planned: 0, gone: 0, failed: 0, refused: 0 }, JSON.stringify(report.steps, null, 1));
  assert.equal(ofAction(report.steps, 'DeleteUser').map((step) => step.resource), [bob.arn, alice.arn], 'users in reverse order of creation');
  assert.equal(ofAction(report.steps, 'DetachUserPolicy').map((step) => step.detail).sort(), [policy.arn, 'arn:aws:iam::aws:policy/IAMReadOnlyAccess']);
  assert.equal(ofAction(report.steps, 'DeactivateMFADevice').map((step) => step.detail), [securityKey.serialNumber]);
  assert.equal(ofAction(report.steps, 'DeletePolicyVersion').map((step) => step.detail), ['v1']);
  assert.equal(await keyloopEntities(server), { users: [], policies: [] });
  assert.equal(resources.created, []);
  assert.is(await target.close(), report, 'a second close shares the first one\'s report');
  root.destroy();
});

test('cleanup refuses what keyloop did not create: a same-prefixed user without the tags', async () => {
  const root = rootClient(server);
  const intruder = 'keyloop-r2-intruder';
  await root.send(new CreateUserCommand({ UserName: intruder }));
  const target = await openIamTarget('aws', { runId: 'r2' });
  await target.resources.createUser('own');
  try {
    await target.resources.createAccessKey(intruder);
    assert.unreachable('the harness changes only users it created');
  } catch (error) {
    assert.instance(error, IamResourceError);
  }
  const report = await target.close();
  assert.equal(ofAction(report.steps, 'DeleteUser').map((step) => [step.resource, step.outcome]), [['arn:aws:iam::123456789012:user/keyloop-r2-own', 'done']]);

  // The sweep for leftovers finds it by its name and leaves it, saying why.
  const sweep = await removeLeftovers({ iam: root, runId: 'r2' });
  assert.equal(sweep.steps.map((step) => [step.action, step.outcome, step.reason]), [['DeleteUser', 'refused', 'it has no keyloop:created-by=keyloop tag']]);
  assert.is((await root.send(new GetUserCommand({ UserName: intruder }))).User!.UserName, intruder);
  // Tagged for a run but named otherwise: still refused.
  await root.send(new CreateUserCommand({ UserName: 'keyloop-r3-mislabelled', Tags: [{ Key: 'keyloop:created-by', Value: 'keyloop' }, { Key: 'keyloop:run', Value: 'r9' }] }));
  const all = await removeLeftovers({ iam: root });
  assert.equal(all.steps.map((step) => step.outcome), ['refused', 'refused']);
  assert.match(all.steps[1].reason!, /name does not start with keyloop-r9-/);
  assert.equal((await keyloopEntities(server)).users, ['keyloop-r2-intruder', 'keyloop-r3-mislabelled']);
  root.destroy();
});

test('a failure in the middle of cleanup is reported and cleanup goes on; a second cleanup retries it', async () => {
  const target = await openIamTarget('aws', { runId: 'r4' });
  const { userName } = await target.resources.createUser('stuck');
  const policy = await target.resources.createPolicy('shared', selfServicePolicy);
  // Someone attaches the run's policy to a user of theirs: the policy cannot be deleted.
  const root = rootClient(server);
  await root.send(new CreateUserCommand({ UserName: 'outsider' }));
  await root.send(new AttachUserPolicyCommand({ UserName: 'outsider', PolicyArn: policy.arn }));
  const first = await target.resources.cleanup();
  assert.equal(first.steps.map((step) => [step.action, step.outcome]), [['DeleteUser', 'done'], ['DeletePolicy', 'failed']]);
  assert.match(first.steps[1].reason!, /^DeleteConflict: /);
  assert.equal(target.resources.created.map((each) => each.kind), ['policy'], `${userName} is forgotten, the policy kept for a retry`);
  await root.send(new DetachUserPolicyCommand({ UserName: 'outsider', PolicyArn: policy.arn }));
  const second = await target.close();
  assert.equal(second.steps.map((step) => [step.action, step.outcome]), [['DeletePolicy', 'done']]);
  root.destroy();
});

test('aws:PROFILE reads the named profile from the shared credentials file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'keyloop-aws-profile-'));
  const { accessKeyId, secretAccessKey } = server.rootCredentials;
  writeFileSync(join(dir, 'credentials'), `[keyloop-lab]\naws_access_key_id = ${accessKeyId}\naws_secret_access_key = ${secretAccessKey}\n`);
  const restore = setEnv({ AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials') });
  try {
    const target = await openIamTarget('aws:keyloop-lab', { runId: 'r5' });
    assert.equal([target.description.target, target.description.principalArn], ['aws:keyloop-lab', 'arn:aws:iam::123456789012:root']);
    const iam = new IAMClient(target.clientConfig());
    await target.resources.createUser('via-profile');
    assert.equal((await iam.send(new ListMFADevicesCommand({ UserName: 'keyloop-r5-via-profile' }))).MFADevices, []);
    iam.destroy();
    await target.close();
    const missing = await openIamTarget('aws:no-such-profile', { runId: 'r5' }).then(() => 'opened', (error: Error) => error);
    assert.instance(missing, TargetError);
  } finally {
    restore();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('wrong credentials: the target does not open, and says STS GetCallerIdentity failed with what code', async () => {
  const restore = setEnv({ AWS_ACCESS_KEY_ID: 'AKIAWRONGWRONGWRONG1', AWS_SECRET_ACCESS_KEY: 'nope' });
  try {
    const error = await openIamTarget('aws', { runId: 'r6' }).then(() => undefined, (thrown: Error) => thrown);
    assert.instance(error, TargetError);
    assert.match(error!.message, /IAM target aws: STS GetCallerIdentity failed .*InvalidClientTokenId/);
  } finally {
    restore();
  }
});

test.run();
