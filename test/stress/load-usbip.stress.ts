// Load on one `keyloop up` process: 64 virtual keys, each imported over its own USB/IP connection,
// register (1 operation in 8) and authenticate for KEYLOOP_LOAD_SECONDS (default 60), with the
// default profile (noble signer) a user gets. Every signature is verified with node:crypto in this
// process: its CPU stays below the server's (both are in the JSON report), so checking all of them
// does not bound the load. Every counter must grow. Zero failures, and the server's RSS, sampled
// after a full GC (load-gc.ts), may not grow more than 10% after the warm-up.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CtaphidClientError, CtaphidProtocolError } from '../../harness/ctaphid/index.ts';
import { ApduError, formatStatusWord } from '../../harness/u2f/index.ts';
import { startCollectableKeyloopUp } from './load-gc.ts';
import { describeGrowth, MAX_GROWTH } from './load-memory.ts';
import { reportLoad } from './load-report.ts';
import { LoadCheckFailure, loadSeconds, runLoad, type LoadWorker } from './load-run.ts';
import { openUsbipU2fKey, WrongAnswerError, type U2fCredential, type UsbipU2fKey } from './usbip-u2f-key.ts';

const KEYS = 64;
const REGISTER_EVERY = 8;
/** Credentials a key's worker keeps to authenticate with (the oldest goes when a new one comes). */
const CREDENTIALS_KEPT = 4;

/** One key's host: registers every REGISTER_EVERY-th operation, authenticates with a kept credential otherwise. */
class KeyWorker implements LoadWorker {
  registrations = 0;
  authentications = 0;
  readonly #key: UsbipU2fKey;
  readonly #credentials: U2fCredential[] = [];
  #operations = 0;
  #lastCounter = -1;

  constructor(key: UsbipU2fKey) {
    this.#key = key;
  }

  step(): Promise<void> {
    return this.#operations++ % REGISTER_EVERY === 0 ? this.#register() : this.#authenticate();
  }

  async #register(): Promise<void> {
    this.#credentials.push(await this.#key.register(`https://load.example/${this.#key.busId}`));
    if (this.#credentials.length > CREDENTIALS_KEPT) this.#credentials.shift();
    this.registrations++;
  }

  async #authenticate(): Promise<void> {
    const counter = await this.#key.authenticate(this.#credentials[this.#operations % this.#credentials.length]);
    if (counter <= this.#lastCounter) throw new LoadCheckFailure('counter-not-increasing', `${this.#key.busId}: ${counter} after ${this.#lastCounter}`);
    this.#lastCounter = counter;
    this.authentications++;
  }
}

/** Protocol codes first: a status word, a CTAPHID error code, the client's own reason. */
function classify(error: unknown): string {
  if (error instanceof ApduError) return `SW ${formatStatusWord(error.sw)}`;
  if (error instanceof CtaphidProtocolError) return error.codeName;
  if (error instanceof CtaphidClientError) return `CTAPHID ${error.reason}`;
  if (error instanceof WrongAnswerError) return 'wrong-answer';
  return error instanceof Error ? error.name : String(error);
}

test(`${KEYS} keys on one USB/IP server register and authenticate without an error, and its memory levels off`, async () => {
  const seconds = loadSeconds();
  const up = await startCollectableKeyloopUp({ devices: KEYS, quiet: true });
  const keys: UsbipU2fKey[] = [];
  let exitCode: number | null;
  try {
    const workers = await Promise.all(
      Array.from({ length: KEYS }, async (_, i) => {
        const key = await openUsbipU2fKey({ port: up.usbip.port, busId: `1-${i + 1}` });
        keys.push(key);
        return new KeyWorker(key);
      }),
    );
    const result = await runLoad({ workers, seconds, server: up, classify });
    const registrations = workers.reduce((sum, w) => sum + w.registrations, 0);
    const authentications = workers.reduce((sum, w) => sum + w.authentications, 0);
    reportLoad('load-usbip', result, { keys: KEYS, registrations, authentications, signaturesVerified: registrations + authentications });

    assert.is(result.errors, 0, `failures: ${JSON.stringify(result.failures)}`);
    assert.ok(registrations > 0 && authentications > 0, `registrations ${registrations}, authentications ${authentications}`);
    assert.ok(result.memory.growth <= MAX_GROWTH, `keyloop up's RSS after a full GC: ${describeGrowth(result.memory)}`);
  } finally {
    await Promise.all(keys.map((key) => key.close()));
    exitCode = await up.stop();
  }
  assert.is(exitCode, 0, `keyloop up stopped with ${exitCode}:\n${up.log().join('\n')}`);
  assert.equal(up.warnings(), [], 'keyloop up wrote to stderr');
});

test.run();
