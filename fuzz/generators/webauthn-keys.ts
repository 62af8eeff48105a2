// Emulator security keys in the browser's place for the console's WebAuthn ceremonies: a key on a
// state directory with one U2F channel kept open (a ceremony per input must not open a channel
// per input), WebAuthnClient on it for the console's origin, and the key's state copied to make a
// clone, whose counter can be wound back before each use as a cloned key's would be.
import { cp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { U2fClient } from '../../harness/u2f/index.ts';
import { WebAuthnClient } from '../../harness/webauthn/index.ts';
import { openTestToken, type TestToken } from '../../test/support/emulator-token.ts';

/** The load profile signs with node:crypto: the default's reproducible signer is slower. */
const PROFILE = new URL('../../fixtures/profiles/load.json', import.meta.url).pathname;
const PRESENCE_TIMEOUT_MS = 5000;

export class FuzzKey {
  readonly stateDir: string;
  readonly #origin: string;
  #token: TestToken;
  #u2f: U2fClient;
  #browser: WebAuthnClient;

  private constructor(token: TestToken, u2f: U2fClient, origin: string, stateDir: string) {
    this.#token = token;
    this.#origin = origin;
    this.#u2f = u2f;
    this.#browser = new WebAuthnClient({ u2f: async () => u2f, origin, presenceTimeoutMs: PRESENCE_TIMEOUT_MS });
    this.stateDir = stateDir;
  }

  static async open({ stateDir, origin }: { stateDir: string; origin: string }): Promise<FuzzKey> {
    const token = await openTestToken({ profilePath: PROFILE, stateDir });
    return new FuzzKey(token, await token.u2f({ presenceTimeoutMs: PRESENCE_TIMEOUT_MS }), origin, stateDir);
  }

  /** navigator.credentials on this key, as an honest browser on the console's page. */
  get browser(): WebAuthnClient {
    return this.#browser;
  }

  /** The key itself, for a browser that writes its own client data. */
  get u2f(): U2fClient {
    return this.#u2f;
  }

  /** Winds the signature counter back to `last` (the next signature counts last + 1): the counter file edited while the key is off. */
  async windCounterBack(last: number): Promise<void> {
    await this.#token.close();
    await writeFile(join(this.stateDir, 'counter.json'), `${JSON.stringify({ reserved: last })}\n`);
    const reopened = await FuzzKey.open({ stateDir: this.stateDir, origin: this.#origin });
    this.#token = reopened.#token;
    this.#u2f = reopened.#u2f;
    this.#browser = reopened.#browser;
  }

  close(): Promise<void> {
    return this.#token.close();
  }
}

/** A closed key's state (device secret and counter) copied: a second key with the same credentials. */
export async function copyKeyState(fromDir: string, toDir: string): Promise<void> {
  await cp(fromDir, toDir, { recursive: true });
}
