// The `mock` target: the embedded mock on an ephemeral loopback port with the root user's keys,
// driven through the same SDK settings as the `aws` target; console automation, its console URL,
// and close() removing the run's resources before it stops the server.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DeleteUserCommand, GetUserCommand, IAMClient, ListUsersCommand } from '@aws-sdk/client-iam';
import { openMockIamTarget } from '../../harness/targets/mock-iam-target.ts';
import { openIamTarget } from '../../harness/targets/iam-target.ts';
import { IamResourceError } from '../../harness/iam/index.ts';
import './support.ts';

test('openIamTarget(mock): loopback endpoint, root principal, console automation', async () => {
  const target = await openIamTarget('mock', { runId: 'm1' });
  try {
    const { description } = target;
    assert.match(description.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal({ ...description, endpoint: '' }, { target: 'mock', kind: 'mock', endpoint: '', accountId: '123456789012', region: 'us-east-1', principalArn: 'arn:aws:iam::123456789012:root' });
    assert.ok(target.capabilities.has('console-automation'));
    // The console is opened as localhost, WebAuthn's rp id, on the endpoint's port.
    assert.is(target.consoleUrl, `${description.endpoint.replace('127.0.0.1', 'localhost')}/console`);
  } finally {
    await target.close();
  }
});

test('resources on the mock, removed on close; the server stops after cleanup', async () => {
  const target = await openMockIamTarget({ runId: 'm2' });
  const { userName, password } = await target.resources.createUser('carol', { password: true });
  assert.match(password!, /^(?=.*[A-Z])(?=.*[a-z])(?=.*[0-9])(?=.*[^A-Za-z0-9]).{24}$/);
  assert.ok(target.server.store.loginProfiles.verifyPassword(userName, password!), 'the generated password is the one IAM keeps');
  const key = await target.resources.createAccessKey(userName);
  const asCarol = new IAMClient(target.clientConfig(key));
  const denied = await asCarol.send(new GetUserCommand({})).then(() => 'allowed', (error: Error) => error.name);
  assert.is(denied, 'AccessDenied', 'carol is authenticated with her own keys, and has no policy');
  asCarol.destroy();
  assert.equal(target.server.store.users.list('/').map((user) => user.userName), ['keyloop-m2-carol']);

  const report = await target.close();
  assert.equal(report.steps.map((step) => step.action), ['DeleteAccessKey', 'DeleteLoginProfile', 'DeleteUser']);
  const admin = new IAMClient({ ...target.clientConfig(), maxAttempts: 1 });
  const after = await admin.send(new ListUsersCommand({})).then(() => 'answered', () => 'no server');
  assert.is(after, 'no server');
  admin.destroy();
  const late = await target.resources.createUser('late').then(() => 'created', (error: Error) => error);
  assert.instance(late, IamResourceError);
});

test('a user someone else already deleted is reported gone and forgotten', async () => {
  const target = await openMockIamTarget({ runId: 'm3' });
  const { userName, arn } = await target.resources.createUser('ephemeral');
  const admin = new IAMClient(target.clientConfig());
  await admin.send(new DeleteUserCommand({ UserName: userName }));
  admin.destroy();
  const report = await target.resources.cleanup();
  assert.equal(report.steps, [{ action: 'DeleteUser', resource: userName, outcome: 'gone' }]);
  assert.equal(target.resources.created, []);
  assert.equal((await target.close()).steps, []);
  assert.ok(arn.endsWith(`:user/${userName}`));
});

test('a malformed run id is refused before anything starts', async () => {
  const error = await openIamTarget('mock', { runId: 'has space' }).then(() => undefined, (thrown: Error) => thrown);
  assert.instance(error, IamResourceError);
});

test.run();
