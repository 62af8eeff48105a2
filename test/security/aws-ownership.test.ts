// With `--iam aws` the harness refuses to touch a resource it did not create. The `aws` target
// runs against the mock posing as a real account (the SDK's default chain and AWS_ENDPOINT_URL_*,
// as in test/iam-target/aws-target.test.ts, which covers the plain cases: a same-prefixed user
// without tags, a mislabelled one, a policy in use elsewhere). Here: what changed hands after the
// run created it (replaced by someone else, retagged to another creator or run), foreign policies
// and their versions, users at another path, and changes asked for on users of another run. A
// refused resource gets no write call at all: the mock's request log shows only reads for it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateLoginProfileCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateUserCommand,
  DeletePolicyCommand,
  DeleteUserCommand,
  GetPolicyCommand,
  GetUserCommand,
  ListAccessKeysCommand,
  ListAttachedUserPoliciesCommand,
  ListPolicyVersionsCommand,
  TagUserCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { startIamServer, type IamServer } from '../../emulator/iam/index.ts';
import { IamResourceError, keyloopTags, removeLeftovers, type CleanupStep } from '../../harness/iam/index.ts';
import { openIamTarget } from '../../harness/targets/iam-target.ts';
import { startKeyloop } from '../support/keyloop-process.ts';
import { awsEnvFor, rootClient, selfServicePolicy, setEnv } from '../iam-target/support.ts';

const READ = /^(Get|List)/;
const POLICY_DOCUMENT = JSON.stringify(selfServicePolicy);

let server: IamServer;
let root: IAMClient;
let restoreEnv: () => void;
/** Every IAM action the mock served, in order. */
const actions: string[] = [];

test.before(async () => {
  server = await startIamServer({ host: '127.0.0.1', port: 0, onRequest: (event) => actions.push(event.action ?? '?') });
  restoreEnv = setEnv(awsEnvFor(server));
  root = rootClient(server);
});

test.after(async () => {
  root.destroy();
  restoreEnv();
  await server.close();
});

/** The actions `work` made the mock serve. */
async function actionsDuring(work: () => Promise<unknown>): Promise<string[]> {
  const from = actions.length;
  await work();
  return actions.slice(from);
}

const outcomes = (steps: CleanupStep[]) => steps.map((step) => [step.action, step.resource.replace(/^.*[:/]/, ''), step.outcome]);
const exists = (read: Promise<unknown>) => read.then(() => true, (error: Error) => (error.name === 'NoSuchEntityException' || error.name === 'NoSuchEntity' ? false : Promise.reject(error)));

test('a user the run created but someone replaced (same name, no keyloop tags) is refused at cleanup, with all it has', async () => {
  const target = await openIamTarget('aws', { runId: 'own1' });
  const { userName } = await target.resources.createUser('victim');
  await root.send(new DeleteUserCommand({ UserName: userName }));
  await root.send(new CreateUserCommand({ UserName: userName }));
  await root.send(new CreateAccessKeyCommand({ UserName: userName }));
  await root.send(new CreateLoginProfileCommand({ UserName: userName, Password: 'Someone-Elses-1!' }));
  await root.send(new AttachUserPolicyCommand({ UserName: userName, PolicyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' }));
  let steps: CleanupStep[] = [];
  const served = await actionsDuring(async () => ({ steps } = await target.close()));
  assert.equal(outcomes(steps), [['DeleteUser', userName, 'refused']]);
  assert.equal(served.filter((action) => !READ.test(action)), [], 'no write call');
  assert.is((await root.send(new ListAccessKeysCommand({ UserName: userName }))).AccessKeyMetadata!.length, 1);
  assert.is((await root.send(new ListAttachedUserPoliciesCommand({ UserName: userName }))).AttachedPolicies!.length, 1);
});

test('a user retagged after creation, to another creator or to another run, is refused by this run\'s cleanup', async () => {
  const target = await openIamTarget('aws', { runId: 'own2' });
  const adopted = await target.resources.createUser('adopted');
  const moved = await target.resources.createUser('moved');
  await root.send(new TagUserCommand({ UserName: adopted.userName, Tags: [{ Key: 'keyloop:created-by', Value: 'platform-team' }] }));
  await root.send(new TagUserCommand({ UserName: moved.userName, Tags: [{ Key: 'keyloop:run', Value: 'other-run' }] }));
  let steps: CleanupStep[] = [];
  const served = await actionsDuring(async () => ({ steps } = await target.close()));
  assert.equal(outcomes(steps), [['DeleteUser', moved.userName, 'refused'], ['DeleteUser', adopted.userName, 'refused']]);
  assert.equal(served.filter((action) => !READ.test(action)), []);
  for (const { userName } of [adopted, moved]) assert.ok(await exists(root.send(new GetUserCommand({ UserName: userName }))), userName);
});

test('policies: one the run created but someone replaced keeps its versions; a foreign one under /keyloop/ is left by the sweep', async () => {
  const target = await openIamTarget('aws', { runId: 'own3' });
  const { arn, policyName } = await target.resources.createPolicy('replaced', selfServicePolicy);
  await root.send(new DeletePolicyCommand({ PolicyArn: arn }));
  await root.send(new CreatePolicyCommand({ PolicyName: policyName, Path: '/keyloop/', PolicyDocument: POLICY_DOCUMENT }));
  await root.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: POLICY_DOCUMENT, SetAsDefault: true }));
  let steps: CleanupStep[] = [];
  const served = await actionsDuring(async () => ({ steps } = await target.close()));
  assert.equal(outcomes(steps), [['DeletePolicy', policyName, 'refused']]);
  assert.equal(served.filter((action) => !READ.test(action)), []);
  assert.is((await root.send(new ListPolicyVersionsCommand({ PolicyArn: arn }))).Versions!.length, 2, 'no DeletePolicyVersion either');

  // Left for `keyloop cleanup` to find: still refused, by the run and by the sweep of all runs.
  const foreign = await root.send(new CreatePolicyCommand({ PolicyName: 'keyloop-own3-foreign', Path: '/keyloop/', PolicyDocument: POLICY_DOCUMENT }));
  for (const runId of ['own3', undefined]) {
    let sweep: CleanupStep[] = [];
    const swept = await actionsDuring(async () => ({ steps: sweep } = await removeLeftovers({ iam: root, runId })));
    assert.equal(sweep.filter((step) => step.action === 'DeletePolicy').map((step) => step.outcome), ['refused', 'refused'], `run ${runId}`);
    assert.equal(swept.filter((action) => !READ.test(action)), []);
  }
  for (const policyArn of [arn, foreign.Policy!.Arn!]) assert.ok(await exists(root.send(new GetPolicyCommand({ PolicyArn: policyArn }))));
});

test('a user with every keyloop tag and name but at another path is refused', async () => {
  const userName = 'keyloop-own4-pathed';
  await root.send(new CreateUserCommand({ UserName: userName, Path: '/teams/', Tags: keyloopTags('own4') }));
  const { steps } = await removeLeftovers({ iam: root, runId: 'own4' });
  assert.equal(outcomes(steps), [['DeleteUser', userName, 'refused']]);
  assert.match(steps[0].reason!, /path is \/teams\//);
  assert.ok(await exists(root.send(new GetUserCommand({ UserName: userName }))));
});

test('a run changes only its own users: keys and attachments for another run\'s user are refused before any IAM call', async () => {
  const other = await openIamTarget('aws', { runId: 'own5a' });
  const target = await openIamTarget('aws', { runId: 'own5b' });
  const { userName } = await other.resources.createUser('theirs');
  const served = await actionsDuring(async () => {
    for (const attempt of [() => target.resources.createAccessKey(userName), () => target.resources.attachUserPolicy(userName, 'arn:aws:iam::aws:policy/AdministratorAccess')]) {
      const error = await attempt().then(() => undefined, (thrown: Error) => thrown);
      assert.instance(error, IamResourceError);
    }
  });
  assert.equal(served, []);
  assert.equal((await target.close()).steps, []);
  assert.equal(outcomes((await other.close()).steps).at(-1), ['DeleteUser', userName, 'done']);
});

test('keyloop cleanup --iam aws, as a user runs it: removes the leftovers that are keyloop\'s, leaves the rest, exits 0', async () => {
  const leftover = 'keyloop-own6-leftover';
  const lookalike = 'keyloop-own6-lookalike';
  await root.send(new CreateUserCommand({ UserName: leftover, Tags: keyloopTags('own6') }));
  await root.send(new CreateUserCommand({ UserName: lookalike, Tags: [{ Key: 'keyloop:run', Value: 'own6' }] }));
  // The child inherits this process's environment, which before() pointed at the mock.
  const cleanup = startKeyloop(['cleanup', '--iam', 'aws', '--run', 'own6']);
  assert.is(await cleanup.exited(), 0, `${cleanup.stdout()}\n${cleanup.stderr()}`);
  assert.is(await exists(root.send(new GetUserCommand({ UserName: leftover }))), false);
  assert.is(await exists(root.send(new GetUserCommand({ UserName: lookalike }))), true);
});

test.run();
