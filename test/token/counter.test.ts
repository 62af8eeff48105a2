// The signature counter (FIDO U2F Raw Message Formats v1.2, "Authentication Response Message:
// Success"): strictly increasing, durable before a signature leaves, one persist per block of
// values, and never repeated after a kill -9.
import { spawn, spawnSync } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  FileCounterStore,
  MemoryCounterStore,
  StatusWord,
  loadProfile,
  type CounterStore,
} from '../../emulator/token/index.ts';
import { MonotonicCounter } from '../../emulator/token/monotonic-counter.ts';
import { authenticateApdu, openToken, parseAuthentication, register, rejectsWithCode, sha256, status, tempDir } from './helpers.ts';

const dirs: string[] = [];
const newDir = async (label: string) => {
  const dir = await tempDir(label);
  dirs.push(dir);
  return dir;
};
test.after(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** Authenticate `n` times and return the counters. */
async function counters(token: Awaited<ReturnType<typeof openToken>>, n: number): Promise<number[]> {
  const { app, registration } = await register(token);
  const request = authenticateApdu(3, sha256('counter'), app, registration.keyHandle);
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(parseAuthentication(await token.process(request)).counter);
  return out;
}

const strictlyIncreasing = (values: number[]) => values.every((v, i) => i === 0 || v > values[i - 1]!);

test('counter starts at counterStart + 1 and increases by one per signature', async () => {
  const profile = { ...(await loadProfile()), counterStart: 1000 };
  const token = await openToken({ profile });
  assert.is(token.counter, 1000);
  const values = await counters(token, 300);
  assert.equal(values, Array.from({ length: 300 }, (_, i) => 1001 + i));
  assert.is(token.counter, 1300);
  await token.close();
});

test('concurrent requests are served in order with distinct counters', async () => {
  const token = await openToken();
  const { app, registration } = await register(token);
  const request = authenticateApdu(3, sha256('concurrent'), app, registration.keyHandle);
  const responses = await Promise.all(Array.from({ length: 50 }, () => token.process(request)));
  assert.equal(responses.map((r) => parseAuthentication(r).counter), Array.from({ length: 50 }, (_, i) => i + 1));
  await token.close();
});

test('clean close and reopen continues without a gap', async () => {
  const dir = await newDir('persist');
  const first = await openToken({ stateDir: dir });
  const a = await counters(first, 10);
  await first.close();
  const second = await openToken({ stateDir: dir });
  const b = await counters(second, 10);
  assert.is(b[0], a[9]! + 1);
  await second.close();
});

test('without a clean close the next run starts above the reservation, skipping at most a block', async () => {
  const store = new MemoryCounterStore();
  const crashed = await MonotonicCounter.open({ store, initial: 5, blockSize: 100 });
  const handedOut = [await crashed.next(), await crashed.next(), await crashed.next()];
  assert.equal(handedOut, [6, 7, 8]);
  // No release(): like a crash. The next run only sees what was persisted.
  const next = await MonotonicCounter.open({ store, blockSize: 100 });
  const value = await next.next();
  assert.ok(value > 8 && value <= 5 + 100 + 1, `resumed at ${value}`);
});

test('one token per state directory: a second open is STATE_LOCKED; the lock of a dead owner is taken over', async () => {
  const dir = await newDir('lock');
  const owner = await openToken({ stateDir: dir });
  await rejectsWithCode(() => openToken({ stateDir: dir }), 'STATE_LOCKED');
  await owner.close();
  const dead = spawnSync(process.execPath, ['-e', '']).pid!;
  await writeFile(join(dir, 'lock'), `${dead}\n`);
  await (await openToken({ stateDir: dir })).close();
});

test('a lock whose pid now names a later process (a container restart reuses pid 1) is stale', async () => {
  const dir = await newDir('lock-reused-pid');
  // This very process, but with a start time before it started: the pid was reused.
  await writeFile(join(dir, 'lock'), `${process.pid} 1\n`);
  const token = await openToken({ stateDir: dir });
  const [pid, started] = (await readFile(join(dir, 'lock'), 'utf8')).trim().split(' ');
  assert.is(pid, String(process.pid));
  assert.ok(Number(started) > 1, `start time ${started}`);
  await rejectsWithCode(() => openToken({ stateDir: dir }), 'STATE_LOCKED');
  await token.close();
});

test('block reservation: 1000 signatures cost at most a handful of persists', async () => {
  const memory = new MemoryCounterStore();
  const token = await openToken({ counterStore: memory });
  assert.ok(strictlyIncreasing(await counters(token, 1000)));
  assert.ok(memory.saves <= 4, `${memory.saves} persists`);

  // The same through the real file store (each save is temp file + fsync + rename + dir fsync).
  class CountingStore extends FileCounterStore {
    saves = 0;
    override async save(reservation: number) {
      this.saves++;
      await super.save(reservation);
    }
  }
  const dir = await newDir('fsync');
  const file = new CountingStore(join(dir, 'counter.json'));
  const onDisk = await openToken({ counterStore: file });
  const values = await counters(onDisk, 1000);
  assert.ok(file.saves <= 4, `${file.saves} persists`);
  const persisted = JSON.parse(await readFile(file.path, 'utf8')).reserved;
  assert.ok(persisted >= values.at(-1)!, 'every value handed out is covered by the reservation on disk');
  await token.close();
  await onDisk.close();
});

test('the signature waits for the counter to be durable: a failing persist means no signature', async () => {
  const failing: CounterStore = {
    load: async () => undefined,
    save: async () => { throw new Error('disk full'); },
  };
  const token = await openToken({ counterStore: failing });
  const { app, registration } = await register(token);
  const response = await token.process(authenticateApdu(3, sha256('x'), app, registration.keyHandle));
  assert.is(status(response), StatusWord.NO_PRECISE_DIAGNOSIS);
  assert.is(response.length, 2);
  await token.close().catch(() => {});
});

test('the 32-bit counter ends at 0xFFFFFFFF, then signing fails with 6F00', async () => {
  const profile = { ...(await loadProfile()), counterStart: 0xfffffffe };
  const token = await openToken({ profile });
  const { app, registration } = await register(token);
  const request = authenticateApdu(3, sha256('end'), app, registration.keyHandle);
  assert.is(parseAuthentication(await token.process(request)).counter, 0xffffffff);
  assert.is(status(await token.process(request)), StatusWord.NO_PRECISE_DIAGNOSIS);
  await token.close();
});

test('corrupt state files are INVALID_STATE at open', async () => {
  const dir = await newDir('corrupt');
  await (await openToken({ stateDir: dir })).close();
  await writeFile(join(dir, 'counter.json'), '{"reserved": -5}');
  await rejectsWithCode(() => openToken({ stateDir: dir }), 'INVALID_STATE');
  await writeFile(join(dir, 'counter.json'), '{"reserved": 5}');
  await writeFile(join(dir, 'device-secret.json'), '{"secret": "abcd"}');
  await rejectsWithCode(() => openToken({ stateDir: dir }), 'INVALID_STATE');
  // A failed open leaves no lock behind.
  await rm(join(dir, 'device-secret.json'));
  await (await openToken({ stateDir: dir })).close();
});

test('kill -9 at random moments never repeats a counter', async () => {
  const dir = await newDir('crash');
  const printed: number[] = [];
  for (let round = 0; round < 5; round++) {
    const values = await runAndKill(dir, 30 + Math.floor(Math.random() * 200));
    assert.ok(values.length > 0, `round ${round}: child printed nothing`);
    assert.ok(strictlyIncreasing(values), `round ${round}: not increasing`);
    const highest = printed.length ? Math.max(...printed) : 0;
    assert.ok(values[0]! > highest, `round ${round}: ${values[0]} after ${highest}`);
    printed.push(...values);
  }
});

/** Start the auth loop, SIGKILL it `ms` after its first counter, return every counter it printed. */
function runAndKill(stateDir: string, ms: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx/esm', 'test/token/fixtures/auth-loop.ts', stateDir], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      timer ??= setTimeout(() => child.kill('SIGKILL'), ms);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (signal !== 'SIGKILL') return reject(new Error(`auth loop exited with ${code ?? signal}`));
      // A line cut by the kill is not a counter the host could have received.
      const lines = out.split('\n');
      resolve(lines.slice(0, -1).map(Number));
    });
  });
}

test.run();
