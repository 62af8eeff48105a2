// A form post or page that fails answers a 4xx whose status fits the failure (403 only for a
// denial), shows why in an error alert, and leaves IAM as it was, also when a form asked for
// several changes and one failed. Found by the console-forms fuzz target; the inputs are the
// shrunk ones it reported.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ListAttachedUserPoliciesCommand } from '@aws-sdk/client-iam';
import type { ConsoleClient } from '../../harness/browser/index.ts';
import { ADMIN, ALICE, createWorkshopUsers, signedInClient, startConsole, type ConsoleEnv } from './support.ts';

let env: ConsoleEnv;
let admin: ConsoleClient;

test.before(async () => {
  env = await startConsole();
  await createWorkshopUsers(env.root);
  admin = await signedInClient(env, ADMIN);
});

test.after(async () => {
  await env.close();
});

const attachedTo = async (userName: string) => (await env.root.send(new ListAttachedUserPoliciesCommand({ UserName: userName }))).AttachedPolicies!.map((policy) => policy.PolicyName);

test('Remove of a policy that fails is a 4xx with the IAM error, not the user page at 200', async () => {
  await admin.get(`iam/users/${ALICE.userName}`);
  // A repeated field reads as absent: DetachUserPolicy without a PolicyArn.
  const page = await admin.postForm(`iam/users/${ALICE.userName}/detach`, { policyArn: ['', ''] });
  assert.equal([page.status, page.alert?.code], [400, 'ValidationError']);
  const notAttached = await admin.postForm(`iam/users/${ALICE.userName}/detach`, { policyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' });
  assert.equal([notAttached.status, notAttached.alert?.code], [404, 'NoSuchEntity']);
});

test('Add permissions attaches all the chosen policies or none: a failure takes back the ones before it', async () => {
  await admin.get(`iam/users/${ALICE.userName}/add-permissions`);
  const page = await admin.postForm(`iam/users/${ALICE.userName}/add-permissions`, {
    policyArn: ['arn:aws:iam::aws:policy/AdministratorAccess', 'arn:aws:iam::aws:policy/ReadOnlyAccess'],
  });
  assert.equal([page.status, page.alert?.code], [404, 'NoSuchEntity']);
  assert.equal(await attachedTo(ALICE.userName), []);
  // What was attached before the post stays.
  assert.equal(await admin.attachPolicies(ALICE.userName, ['IAMReadOnlyAccess']), { ok: true, value: undefined });
  await admin.postForm(`iam/users/${ALICE.userName}/add-permissions`, { policyArn: ['arn:aws:iam::aws:policy/IAMReadOnlyAccess', 'arn:aws:iam::aws:policy/NoSuchPolicy'] });
  assert.equal(await attachedTo(ALICE.userName), ['IAMReadOnlyAccess']);
});

test('a user page for a malformed or unknown name is 400 or 404, and so is its Add permissions page', async () => {
  const malformed = await admin.get(`iam/users/${encodeURIComponent('\u0000fz-target')}`);
  assert.equal([malformed.status, malformed.alert?.code], [400, 'ValidationError']);
  const unknown = await admin.get('iam/users/nobody/add-permissions');
  assert.equal([unknown.status, unknown.alert?.code], [404, 'NoSuchEntity']);
});

test.run();
