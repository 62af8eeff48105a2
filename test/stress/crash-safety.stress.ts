// Crash safety of `keyloop up` (issue 9): the real server process, under load on both keys (U2F
// authentications over the USB/IP wire) and on IAM (signed writes with the AWS SDK), is killed
// with SIGKILL at a random moment and restarted on the same --state DIR, many times. After each
// kill the IAM file passes SQLite's integrity check; after each restart every key's next counter
// is above every counter it ever returned, every acknowledged IAM write is there, the key handles
// registered before the first kill still sign, and a user who registered key 1-1 as a U2F MFA
// device through the console still signs in with it.
// KEYLOOP_CRASH_CYCLES sets the number of kills (default 25).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { IAMClient } from '@aws-sdk/client-iam';
import Database from 'better-sqlite3';
import { DEFAULT_ROOT_CREDENTIALS } from '../../emulator/iam/index.ts';
import { STATE_FILE } from '../../emulator/iam/store/database.ts';
import { LOCK_FILE } from '../../emulator/token/state-lock.ts';
import { ConsoleClient } from '../../harness/browser/index.ts';
import { CtaphidProtocolError } from '../../harness/ctaphid/index.ts';
import { withTimeout } from '../../harness/transports/usbip/usbip-connect.ts';
import { ApduError } from '../../harness/u2f/index.ts';
import { WebAuthnClient } from '../../harness/webauthn/index.ts';
import { ACCOUNT, ALICE, attachWorkshopPolicies, createConsoleUser } from '../console/support.ts';
import { IamWriteLedger, missingWrites, writeUntilStopped } from './acknowledged-iam-writes.ts';
import { type KeyloopUpProcess, startKeyloopUp } from './keyloop-up-process.ts';
import { type U2fCredential, type UsbipU2fKey, WrongAnswerError, openUsbipU2fKey } from './usbip-u2f-key.ts';

const CYCLES = Number(process.env.KEYLOOP_CRASH_CYCLES ?? 25);
const BUS_IDS = ['1-1', '1-2'];
/** Concurrent IAM write streams. */
const WRITERS = 2;
/** The kill lands this long into the load. */
const KILL_AFTER_MS = { min: 50, max: 1500 };
/** Generous: the loops only need to see their connections drop. */
const DRAIN_TIMEOUT_MS = 15_000;

/** What the test knows of one key: its credentials from the first run and the counters it returned. */
interface KeyRecord {
  readonly credentials: readonly U2fCredential[];
  maxCounter: number;
  authentications: number;
}

test(`keyloop up killed with SIGKILL under load ${CYCLES} times: counters only rise, IAM keeps every acknowledged write, keys still sign in`, async () => {
  assert.ok(Number.isInteger(CYCLES) && CYCLES > 0, `KEYLOOP_CRASH_CYCLES: expected a positive integer, got ${process.env.KEYLOOP_CRASH_CYCLES}`);
  const stateDir = await mkdtemp(join(tmpdir(), 'keyloop-crash-'));
  const records = new Map<string, KeyRecord>();
  const ledger = new IamWriteLedger();
  const restartMs: number[] = [];
  let up: KeyloopUpProcess | undefined;
  let keys: UsbipU2fKey[] = [];
  try {
    up = await startUp(stateDir);
    const ports = { usbipPort: up.usbip.port, iamPort: up.iam!.port };
    keys = await openKeys(up);
    for (const key of keys) {
      const credentials = [await key.register('https://crash-a.keyloop.test'), await key.register('https://crash-b.keyloop.test')];
      records.set(key.busId, { credentials, maxCounter: 0, authentications: 0 });
    }
    await registerConsoleKey(up, keys[0]);

    for (let cycle = 1; cycle <= CYCLES; cycle++) {
      const tagsBefore = ledger.tags.length;
      const failures = await loadUntilKilled({ up, keys, records, ledger, prefix: `c${cycle}` });
      assert.equal(failures, [], `cycle ${cycle}: failures under load`);
      assert.is(integrityCheck(stateDir), 'ok', `cycle ${cycle}: PRAGMA integrity_check right after the kill`);

      up = await startUp(stateDir, ports);
      restartMs.push(up.startMs);
      keys = await openKeys(up);
      for (const key of keys) {
        const record = records.get(key.busId)!;
        for (const credential of record.credentials) {
          const counter = await key.authenticate(credential);
          assert.ok(counter > record.maxCounter, `cycle ${cycle}: ${key.busId} counter ${counter} after the restart, ${record.maxCounter} returned before`);
          record.maxCounter = counter;
          record.authentications++;
        }
      }
      const iam = iamClient(up);
      assert.equal(await missingWrites(iam, ledger, ledger.tags.slice(tagsBefore)), [], `cycle ${cycle}: acknowledged writes missing after the restart`);
      iam.destroy();
      await signInWithKey(up, keys[0]);
    }

    const iam = iamClient(up);
    assert.equal(await missingWrites(iam, ledger), [], 'acknowledged writes missing at the end');
    iam.destroy();
    await closeKeys(keys);
    assert.is(await up.stop(), 0, 'a clean stop after the crashes');

    const authentications = [...records.values()].reduce((sum, record) => sum + record.authentications, 0);
    const maxCounter = Math.max(...[...records.values()].map((record) => record.maxCounter));
    const sorted = [...restartMs].sort((a, b) => a - b);
    const seconds = (ms: number) => (ms / 1000).toFixed(2);
    console.log(
      `crash-safety: ${CYCLES} cycles, ${CYCLES} SIGKILLs, ${authentications} authentications verified (max counter ${maxCounter}), ` +
      `${ledger.count} IAM writes acknowledged, restart ${seconds(sorted[sorted.length >> 1])} s median (${seconds(sorted[0])}-${seconds(sorted.at(-1)!)} s)`,
    );
  } finally {
    await closeKeys(keys);
    await up?.kill();
    await rm(stateDir, { recursive: true, force: true });
  }
});

async function startUp(stateDir: string, ports: { usbipPort?: number; iamPort?: number } = {}): Promise<KeyloopUpProcess> {
  const up = await startKeyloopUp({ devices: BUS_IDS.length, stateDir, usbipPort: ports.usbipPort ?? 0, iamPort: ports.iamPort ?? 0, quiet: true });
  // The kill must hit the process that serves: the one that holds the keys' state lock.
  const [owner] = (await readFile(join(stateDir, BUS_IDS[0], LOCK_FILE), 'utf8')).trim().split(' ');
  assert.is(owner, String(up.pid), 'keyloop up process holds the state lock');
  return up;
}

function openKeys(up: KeyloopUpProcess): Promise<UsbipU2fKey[]> {
  return Promise.all(BUS_IDS.map((busId) => openUsbipU2fKey({ port: up.usbip.port, busId })));
}

async function closeKeys(keys: readonly UsbipU2fKey[]): Promise<void> {
  await Promise.allSettled(keys.map((key) => key.close()));
}

const iamClient = (up: KeyloopUpProcess): IAMClient =>
  new IAMClient({ endpoint: up.iam!.url, region: 'us-east-1', credentials: DEFAULT_ROOT_CREDENTIALS, maxAttempts: 1 });

/**
 * Authenticate on every key and write to IAM until the process is killed a random moment in;
 * resolves with what went wrong. Losing the connection is expected once the kill is sent; an
 * answer that is wrong (a status word, an AWS error, a bad signature, a counter that did not
 * rise) never is.
 */
async function loadUntilKilled({ up, keys, records, ledger, prefix }: {
  up: KeyloopUpProcess;
  keys: readonly UsbipU2fKey[];
  records: Map<string, KeyRecord>;
  ledger: IamWriteLedger;
  prefix: string;
}): Promise<string[]> {
  const failures: string[] = [];
  let killed = false;
  const stopped = () => killed;
  const unlessKilled = (what: string) => (error: unknown) => {
    if (!killed || isAnswer(error)) failures.push(`${what}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
  };
  const iam = iamClient(up);
  const loops = [
    ...keys.map((key) => authenticateUntilStopped(key, records.get(key.busId)!, stopped, failures).catch(unlessKilled(`key ${key.busId}`))),
    ...Array.from({ length: WRITERS }, (_, i) =>
      writeUntilStopped({ iam, prefix: `${prefix}w${i}`, ledger, stopped }).catch(unlessKilled(`IAM writer ${i}`))),
  ];
  await sleep(KILL_AFTER_MS.min + Math.random() * (KILL_AFTER_MS.max - KILL_AFTER_MS.min));
  killed = true;
  await up.kill();
  await withTimeout(Promise.all(loops), DRAIN_TIMEOUT_MS, 'load loops after the kill');
  iam.destroy();
  await closeKeys(keys);
  return failures;
}

async function authenticateUntilStopped(key: UsbipU2fKey, record: KeyRecord, stopped: () => boolean, failures: string[]): Promise<void> {
  for (let i = 0; !stopped(); i++) {
    const counter = await key.authenticate(record.credentials[i % record.credentials.length]);
    if (counter <= record.maxCounter) failures.push(`key ${key.busId}: counter ${counter} after ${record.maxCounter}`);
    record.maxCounter = Math.max(record.maxCounter, counter);
    record.authentications++;
  }
}

/**
 * The server answered, and wrongly: a kill only ever takes answers away. (A 200 whose body the
 * kill cut off is not an answer: the SDK fails to parse it, and the write is merely unknown.)
 */
function isAnswer(error: unknown): boolean {
  const httpStatus = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? 0;
  return error instanceof ApduError || error instanceof CtaphidProtocolError || error instanceof WrongAnswerError || httpStatus >= 400;
}

/** PRAGMA integrity_check on the IAM state file, with the server gone (WAL as the kill left it). */
function integrityCheck(stateDir: string): string {
  const db = new Database(join(stateDir, STATE_FILE), { readonly: true, fileMustExist: true });
  try {
    return String(db.pragma('integrity_check', { simple: true }));
  } finally {
    db.close();
  }
}

/** The console's pages on `keyloop up`, with `key` answering WebAuthn through the browser's U2F fallback. */
function consoleClient(up: KeyloopUpProcess, key: UsbipU2fKey): ConsoleClient {
  const origin = `http://localhost:${up.iam!.port}`;
  return new ConsoleClient({ baseUrl: `${origin}/console`, origin, credentials: new WebAuthnClient({ u2f: async () => key.u2f, origin }) });
}

/** The workshop's user alice, with the workshop policy, registers the key as her U2F MFA device in the console. */
async function registerConsoleKey(up: KeyloopUpProcess, key: UsbipU2fKey): Promise<void> {
  const root = iamClient(up);
  await createConsoleUser(root, ALICE);
  await attachWorkshopPolicies(root, [ALICE.userName]);
  root.destroy();
  const alice = consoleClient(up, key);
  assert.equal(await alice.signIn({ account: ACCOUNT, ...ALICE }), { ok: true, value: { step: 'signed-in' } });
  const registered = await alice.registerSecurityKey('crash-key');
  assert.ok(registered.ok, JSON.stringify(registered));
  await alice.signOut();
}

/** Her password alone no longer signs her in; with the key it does (and the RP checks the counter rose). */
async function signInWithKey(up: KeyloopUpProcess, key: UsbipU2fKey): Promise<void> {
  const alice = consoleClient(up, key);
  assert.equal(await alice.signIn({ account: ACCOUNT, ...ALICE }), { ok: true, value: { step: 'mfa-required', methods: ['security-key'] } });
  assert.equal(await alice.useSecurityKey(), { ok: true, value: { redirect: '/console/home' } });
  await alice.signOut();
}

test.run();
