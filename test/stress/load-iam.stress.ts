// Load on the mock IAM endpoint of one `keyloop up` process: 32 keep-alive connections send
// SigV4-signed requests for KEYLOOP_LOAD_SECONDS (default 60), each worker cycling through 9 reads
// and 7 writes that leave nothing behind (a user is created, tagged, read and deleted; an MFA
// device and a policy likewise), so state stays bounded by design. The caller is an IAM user, so
// every request is also authorized by policy evaluation. IAM state is in memory, `keyloop up`'s
// default. Zero failures: every answer a 200 with the expected XML. The server's RSS, sampled after
// a full GC (load-gc.ts), may not grow more than 10% after the warm-up.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DEFAULT_ROOT_CREDENTIALS } from '../../emulator/iam/index.ts';
import type { QueryCredentials } from '../../harness/iam/sign-query-request.ts';
import { IamCallError, IamConnection, xmlAt, xmlMembers, type XmlNode } from './load-iam-client.ts';
import { startCollectableKeyloopUp } from './load-gc.ts';
import { describeGrowth, MAX_GROWTH } from './load-memory.ts';
import { reportLoad } from './load-report.ts';
import { LoadCheckFailure, loadSeconds, runLoad, type LoadWorker } from './load-run.ts';

const CONNECTIONS = 32;
const CALLER = 'loader';
/** What the caller may change: only what the workers create, named load-*. */
const WRITE_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: ['iam:CreateUser', 'iam:TagUser', 'iam:DeleteUser'], Resource: 'arn:aws:iam::*:user/load-*' },
    { Effect: 'Allow', Action: ['iam:CreateVirtualMFADevice', 'iam:DeleteVirtualMFADevice'], Resource: 'arn:aws:iam::*:mfa/load-*' },
    { Effect: 'Allow', Action: ['iam:CreatePolicy', 'iam:DeletePolicy'], Resource: 'arn:aws:iam::*:policy/load-*' },
  ],
});
const CREATED_POLICY = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:GetUser', Resource: '*' }] });

/** Fails the step unless `actual` is `expected`. */
function expect(actual: XmlNode | undefined, expected: string, what: string): void {
  if (actual !== expected) throw new LoadCheckFailure('unexpected-answer', `${what}: expected ${expected}, got ${JSON.stringify(actual)}`);
}

function expectMember(members: XmlNode[], field: string, value: string, what: string): void {
  if (!members.some((member) => xmlAt(member, field) === value)) throw new LoadCheckFailure('unexpected-answer', `${what}: no member with ${field} ${value}`);
}

/** What one worker's cycle works on: the names of this turn's user, MFA device and policy. */
interface Cycle {
  readonly iam: IamConnection;
  readonly worker: number;
  readonly callerArn: string;
  name: string;
  mfaSerial: string;
  policyArn: string;
}

/** One request of the cycle; the cycle creates, reads and deletes, leaving nothing behind. */
type Step = { readonly kind: 'read' | 'write'; readonly run: (c: Cycle) => Promise<void> };

const CYCLE: readonly Step[] = [
  { kind: 'write', run: async (c) => expect(xmlAt(await c.iam.call('CreateUser', { UserName: c.name }), 'User.UserName'), c.name, 'CreateUser') },
  { kind: 'write', run: async (c) => void (await c.iam.call('TagUser', { UserName: c.name, 'Tags.member.1.Key': 'worker', 'Tags.member.1.Value': String(c.worker) })) },
  { kind: 'read', run: async (c) => expect(xmlAt(await c.iam.call('GetUser', { UserName: c.name }), 'User.UserName'), c.name, 'GetUser') },
  { kind: 'read', run: async (c) => expectMember(xmlMembers(await c.iam.call('ListUserTags', { UserName: c.name }), 'Tags'), 'Value', String(c.worker), 'ListUserTags') },
  { kind: 'read', run: async (c) => expectMember(xmlMembers(await c.iam.call('ListUsers'), 'Users'), 'UserName', c.name, 'ListUsers') },
  { kind: 'read', run: async (c) => expect(xmlAt(await c.iam.call('ListMFADevices', { UserName: c.name }), 'IsTruncated'), 'false', 'ListMFADevices') },
  {
    kind: 'write',
    run: async (c) => {
      const serial = xmlAt(await c.iam.call('CreateVirtualMFADevice', { VirtualMFADeviceName: c.name }), 'VirtualMFADevice.SerialNumber');
      if (typeof serial !== 'string' || !serial.endsWith(`:mfa/${c.name}`)) throw new LoadCheckFailure('unexpected-answer', `CreateVirtualMFADevice: serial ${JSON.stringify(serial)}`);
      c.mfaSerial = serial;
    },
  },
  { kind: 'read', run: async (c) => expectMember(xmlMembers(await c.iam.call('ListVirtualMFADevices'), 'VirtualMFADevices'), 'SerialNumber', c.mfaSerial, 'ListVirtualMFADevices') },
  { kind: 'write', run: async (c) => void (await c.iam.call('DeleteVirtualMFADevice', { SerialNumber: c.mfaSerial })) },
  {
    kind: 'write',
    run: async (c) => {
      const arn = xmlAt(await c.iam.call('CreatePolicy', { PolicyName: c.name, PolicyDocument: CREATED_POLICY }), 'Policy.Arn');
      if (typeof arn !== 'string' || !arn.endsWith(`:policy/${c.name}`)) throw new LoadCheckFailure('unexpected-answer', `CreatePolicy: arn ${JSON.stringify(arn)}`);
      c.policyArn = arn;
    },
  },
  { kind: 'read', run: async (c) => expect(xmlAt(await c.iam.call('GetPolicy', { PolicyArn: c.policyArn }), 'Policy.PolicyName'), c.name, 'GetPolicy') },
  { kind: 'read', run: async (c) => expectMember(xmlMembers(await c.iam.call('ListPolicies', { Scope: 'Local' }), 'Policies'), 'PolicyName', c.name, 'ListPolicies') },
  { kind: 'write', run: async (c) => void (await c.iam.call('DeletePolicy', { PolicyArn: c.policyArn })) },
  { kind: 'read', run: async (c) => expect(xmlAt(await c.iam.call('GetCallerIdentity', {}, 'sts'), 'Arn'), c.callerArn, 'GetCallerIdentity') },
  { kind: 'read', run: async (c) => expectMember(xmlMembers(await c.iam.call('ListAttachedUserPolicies', { UserName: CALLER }), 'AttachedPolicies'), 'PolicyName', 'IAMReadOnlyAccess', 'ListAttachedUserPolicies') },
  { kind: 'write', run: async (c) => void (await c.iam.call('DeleteUser', { UserName: c.name })) },
];

/** One connection's client: each step is the next request of its cycle, a new user name per turn. */
class IamWorker implements LoadWorker {
  readonly requests = { read: 0, write: 0 };
  readonly #cycle: Cycle;
  #turn = 0;
  #next = 0;

  constructor(iam: IamConnection, worker: number, callerArn: string) {
    this.#cycle = { iam, worker, callerArn, name: '', mfaSerial: '', policyArn: '' };
  }

  async step(): Promise<void> {
    if (this.#next === 0) this.#cycle.name = `load-${this.#cycle.worker}-${this.#turn++}`;
    const { kind, run } = CYCLE[this.#next];
    this.#next = (this.#next + 1) % CYCLE.length;
    await run(this.#cycle);
    this.requests[kind]++;
  }
}

/** The caller: IAM read-only plus writes on load-* resources, with an access key. */
async function createCaller(url: string): Promise<{ credentials: QueryCredentials; arn: string }> {
  const root = new IamConnection({ url, credentials: DEFAULT_ROOT_CREDENTIALS });
  try {
    const arn = xmlAt(await root.call('CreateUser', { UserName: CALLER }), 'User.Arn') as string;
    await root.call('AttachUserPolicy', { UserName: CALLER, PolicyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' });
    await root.call('PutUserPolicy', { UserName: CALLER, PolicyName: 'load-writes', PolicyDocument: WRITE_POLICY });
    const key = await root.call('CreateAccessKey', { UserName: CALLER });
    return { credentials: { accessKeyId: xmlAt(key, 'AccessKey.AccessKeyId') as string, secretAccessKey: xmlAt(key, 'AccessKey.SecretAccessKey') as string }, arn };
  } finally {
    root.close();
  }
}

/** The AWS error code where there is one, else the socket's (ECONNRESET, TIMEOUT). */
function classify(error: unknown): string {
  if (error instanceof IamCallError) return error.code;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : error instanceof Error ? error.name : String(error);
}

test(`${CONNECTIONS} keep-alive connections of signed IAM requests without an error, and the server's memory levels off`, async () => {
  const seconds = loadSeconds();
  // --devices 1 is the least `keyloop up` serves; the key stays idle.
  const up = await startCollectableKeyloopUp({ devices: 1, iamPort: 0, quiet: true });
  const connections: IamConnection[] = [];
  let exitCode: number | null;
  try {
    const url = up.iam!.url;
    const caller = await createCaller(url);
    const workers = Array.from({ length: CONNECTIONS }, (_, i) => {
      const iam = new IamConnection({ url, credentials: caller.credentials });
      connections.push(iam);
      return new IamWorker(iam, i, caller.arn);
    });
    const result = await runLoad({ workers, seconds, server: up, classify });
    const reads = workers.reduce((sum, w) => sum + w.requests.read, 0);
    const writes = workers.reduce((sum, w) => sum + w.requests.write, 0);
    const opened = connections.reduce((sum, c) => sum + c.connectionsOpened, 0);
    reportLoad('load-iam', result, { connections: CONNECTIONS, connectionsOpened: opened, reads, writes, state: 'in memory' });

    assert.is(result.errors, 0, `failures: ${JSON.stringify(result.failures)}`);
    assert.ok(reads > 0 && writes > 0, `reads ${reads}, writes ${writes}`);
    assert.is(opened, CONNECTIONS, 'each worker kept its one connection alive');
    assert.ok(result.memory.growth <= MAX_GROWTH, `keyloop up's RSS after a full GC: ${describeGrowth(result.memory)}`);
  } finally {
    for (const connection of connections) connection.close();
    exitCode = await up.stop();
  }
  assert.is(exitCode, 0, `keyloop up stopped with ${exitCode}:\n${up.log().join('\n')}`);
  assert.equal(up.warnings(), [], 'keyloop up wrote to stderr');
});

test.run();
