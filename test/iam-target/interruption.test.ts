// Cleanup when a run does not end well, in real child processes against a mock in this process:
// a scenario failing in the middle (the runner's finally closes the target), Ctrl-C (the interrupt
// cleanup removes the run's resources and exits 130), and kill -9, which leaves resources behind
// for `keyloop cleanup` to list (--dry-run) and then remove.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { IamServer } from '../../emulator/iam/index.ts';
import { Command } from 'commander';
import { cleanupLeftovers } from '../../harness/cli/cleanup-action.ts';
import { registerCleanupCommand } from '../../harness/cli/cleanup-command.ts';
import { awsEnvFor, childEnv, keyloopEntities, setEnv, startServer } from './support.ts';

let server: IamServer;

test.before(async () => {
  server = await startServer();
});

test.after(async () => {
  await server.close();
});

interface Child {
  process: ChildProcess;
  ready: Promise<void>;
  stdout: string[];
  stderr: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function runChild(mode: 'throw' | 'interrupt' | 'hang', runId: string): Child {
  const child = spawn(process.execPath, ['--import', 'tsx/esm', new URL('./run-child.ts', import.meta.url).pathname, mode, runId], {
    env: childEnv({ ...awsEnvFor(server), FORCE_COLOR: '0' }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (line) => stderr.push(line));
  const lines = createInterface({ input: child.stdout! });
  const ready = new Promise<void>((resolve, reject) => {
    lines.on('line', (line) => {
      stdout.push(line);
      if (line === 'ready') resolve();
    });
    child.once('exit', () => reject(new Error(`child exited before ready: ${stderr.join('\n')}`)));
  });
  ready.catch(() => {});
  const exited = once(child, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }));
  return { process: child, ready, stdout, stderr, exited };
}

const nothingLeft = { users: [], policies: [] };

test('a scenario failing in the middle: the finally block closes the target and nothing is left', async () => {
  const child = runChild('throw', 'fail1');
  await child.ready;
  const { code } = await child.exited;
  assert.is(code, 1);
  assert.ok(child.stderr.some((line) => line.includes('scenario failed in the middle')), child.stderr.join('\n'));
  assert.ok(child.stdout.includes('cleanup: 5 steps done'), child.stdout.join('\n'));
  assert.equal(await keyloopEntities(server), nothingLeft);
});

test('SIGINT: the run removes its resources and exits 130', async () => {
  const child = runChild('interrupt', 'int1');
  await child.ready;
  assert.equal((await keyloopEntities(server)).users, ['keyloop-int1-alice']);
  child.process.kill('SIGINT');
  const { code } = await child.exited;
  assert.is(code, 130);
  assert.ok(child.stderr.some((line) => line.includes('SIGINT, removing this run\'s IAM resources')), child.stderr.join('\n'));
  assert.ok(child.stderr.some((line) => line.includes('removed 1 user and 1 policy')), child.stderr.join('\n'));
  assert.equal(await keyloopEntities(server), nothingLeft);
});

test('kill -9 leaves resources; keyloop cleanup --dry-run lists them, then removes them (one run, or all)', async () => {
  await Promise.all(
    ['kill1', 'kill2'].map(async (runId) => {
      const child = runChild('hang', runId);
      await child.ready;
      child.process.kill('SIGKILL');
      assert.is((await child.exited).signal, 'SIGKILL');
    }),
  );
  const leftovers = {
    users: ['keyloop-kill1-alice', 'keyloop-kill2-alice'],
    policies: ['keyloop-kill1-self-service', 'keyloop-kill2-self-service'],
  };
  assert.equal(await keyloopEntities(server), leftovers);

  const restore = setEnv(awsEnvFor(server));
  try {
    // The dry run through the command line, as `keyloop cleanup --iam aws --dry-run`.
    const printed: string[] = [];
    const program = new Command().exitOverride();
    registerCleanupCommand(program, { print: (line) => printed.push(line) });
    await program.parseAsync(['cleanup', '--iam', 'aws', '--dry-run'], { from: 'user' });
    assert.is(process.exitCode, 0);
    process.exitCode = undefined;
    assert.match(printed[0], /^keyloop cleanup: account 123456789012 as arn:aws:iam::123456789012:root \(http:\/\/127\.0\.0\.1:\d+\), dry run$/);
    const would = printed.filter((line) => line.includes('would'));
    for (const action of ['DetachUserPolicy', 'DeleteAccessKey', 'DeleteLoginProfile', 'DeleteUser', 'DeletePolicy']) {
      assert.is(would.filter((line) => line.includes(action)).length, 2, `${action} twice in\n${printed.join('\n')}`);
    }
    assert.is(printed.at(-1), 'would remove 2 users and 2 policies');
    assert.equal(await keyloopEntities(server), leftovers, 'a dry run changes nothing');

    const onlyKill1: string[] = [];
    assert.is(await cleanupLeftovers({ spec: 'aws', runId: 'kill1', print: (line) => onlyKill1.push(line) }), 0);
    assert.is(onlyKill1.at(-1), 'removed 1 user and 1 policy');
    assert.equal(await keyloopEntities(server), { users: ['keyloop-kill2-alice'], policies: ['keyloop-kill2-self-service'] });

    const rest: string[] = [];
    assert.is(await cleanupLeftovers({ spec: 'aws', print: (line) => rest.push(line) }), 0);
    assert.ok(rest.some((line) => /done\s+DeleteUser\s+arn:aws:iam::123456789012:user\/keyloop-kill2-alice/.test(line)), rest.join('\n'));
    assert.equal(await keyloopEntities(server), nothingLeft);
    const again: string[] = [];
    await cleanupLeftovers({ spec: 'aws', print: (line) => again.push(line) });
    assert.equal(again.slice(1), ['  nothing under /keyloop/', 'removed 0 users and 0 policies']);
  } finally {
    restore();
  }
});

test('keyloop cleanup: the mock target, a malformed run id and unreachable credentials cannot run (exit 2)', async () => {
  const errors: string[] = [];
  const printError = (line: string) => errors.push(line);
  assert.is(await cleanupLeftovers({ spec: 'mock', printError }), 2);
  assert.is(await cleanupLeftovers({ spec: 'aws', runId: 'no spaces', printError }), 2);
  const restore = setEnv({ ...awsEnvFor(server), AWS_SECRET_ACCESS_KEY: 'wrong' });
  try {
    assert.is(await cleanupLeftovers({ spec: 'aws', printError }), 2);
  } finally {
    restore();
  }
  assert.match(errors[0], /keeps nothing between runs/);
  assert.match(errors[1], /run id 'no spaces'/);
  assert.match(errors[2], /SignatureDoesNotMatch/);
});

test.run();
