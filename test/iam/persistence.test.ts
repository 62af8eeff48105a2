// The SQLite state survives a clean restart and a kill -9: after SIGKILL in the middle of a stream
// of writes, the file passes PRAGMA integrity_check and holds every write that was acknowledged.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { CreateAccessKeyCommand, CreateAccountAliasCommand, CreateUserCommand, CreateVirtualMFADeviceCommand, GetUserCommand, ListAccountAliasesCommand, ListAttachedUserPoliciesCommand, ListMFADevicesCommand } from '@aws-sdk/client-iam';
import { iamClient, startTestServer } from './support.ts';

const dirs: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'keyloop-iam-'));
  dirs.push(dir);
  return dir;
};

test.after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

test('a clean restart keeps users, keys, policies, devices and the alias', async () => {
  const stateDir = tempDir();
  const first = await startTestServer({ stateDir });
  const root = iamClient(first);
  await root.send(new CreateUserCommand({ UserName: 'lee' }));
  const key = (await root.send(new CreateAccessKeyCommand({ UserName: 'lee' }))).AccessKey!;
  await root.send(new CreateAccountAliasCommand({ AccountAlias: 'persisted' }));
  const serial = (await root.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'lee' }))).VirtualMFADevice!.SerialNumber!;
  first.store.mfa.addSecurityKey({ userName: 'lee', name: 'yubikey', credentialId: Buffer.from('cred'), publicKey: Buffer.from('pk'), counter: 3, attestationFormat: 'fido-u2f' });
  await first.close();

  const second = await startTestServer({ stateDir });
  try {
    const again = iamClient(second);
    assert.equal((await again.send(new ListAccountAliasesCommand({}))).AccountAliases, ['persisted']);
    assert.is(second.store.mfa.findVirtual(serial)?.serialNumber, serial);
    const devices = await again.send(new ListMFADevicesCommand({ UserName: 'lee' }));
    assert.is(devices.MFADevices![0].SerialNumber!.split('/').at(-1)!.split('-')[0], 'yubikey');
    // lee's key still signs: the request is authenticated (and then denied, lee has no policy).
    const lee = iamClient(second, { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! });
    await lee.send(new GetUserCommand({})).then(
      () => assert.unreachable('lee has no policy'),
      (error: { name: string }) => assert.is(error.name, 'AccessDenied'),
    );
  } finally {
    await second.close();
  }
  const otherAccount = await startTestServer({ stateDir, accountId: '999999999999' }).then(
    () => 'started',
    (error: Error) => error.message,
  );
  assert.match(otherAccount, /belongs to account 123456789012/);
});

test('kill -9 in the middle of writes: integrity_check ok and every acknowledged write present', async () => {
  const stateDir = tempDir();
  const child = spawn(process.execPath, ['--import', 'tsx/esm', new URL('./writer-child.ts', import.meta.url).pathname, stateDir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const acknowledged: string[] = [];
  const lines = createInterface({ input: child.stdout });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`writer exited early with ${code}`)));
    lines.on('line', (line) => {
      if (!line.startsWith('ack ')) return;
      acknowledged.push(line.slice(4));
      // Kill while writes are still streaming, at an arbitrary point after the first few dozen.
      if (acknowledged.length === 25) {
        setTimeout(() => {
          child.kill('SIGKILL');
          resolve();
        }, Math.random() * 50);
      }
    });
  });
  await exited;
  lines.close();
  assert.ok(acknowledged.length >= 25);

  const server = await startTestServer({ stateDir });
  try {
    assert.is(server.store.integrityCheck(), 'ok');
    const iam = iamClient(server);
    for (const name of acknowledged) {
      assert.ok(server.store.users.find(name), `user ${name} acknowledged before the kill`);
      assert.equal(server.store.inlinePolicies.list('user', name).map((p) => p.policyName), ['p']);
    }
    const last = acknowledged.at(-1)!;
    const attached = await iam.send(new ListAttachedUserPoliciesCommand({ UserName: last }));
    assert.equal(attached.AttachedPolicies!.map((p) => p.PolicyName), ['IAMReadOnlyAccess']);
  } finally {
    await server.close();
  }
});

test.run();
