// An emulator token (or any token target) for tests that play the browser: U2F clients on it (as
// WebAuthnClient and the Chromium bridge take them), closed together with the token.
import { CtaphidClient } from '../../harness/ctaphid/index.ts';
import { openEmulatorTarget, type EmulatorTargetOptions } from '../../harness/targets/emulator-target.ts';
import type { TokenTarget } from '../../harness/targets/token-target.ts';
import { U2fClient } from '../../harness/u2f/index.ts';
import { WebAuthnClient, type WebAuthnClientOptions } from '../../harness/webauthn/index.ts';

export interface TestToken {
  target: TokenTarget;
  /** A U2F client factory on this token, as WebAuthnClient and the browser bridge take it. */
  u2f: WebAuthnClientOptions['u2f'];
  /** The browser's WebAuthn role on this token for `origin`. */
  browser(origin: string, overrides?: Partial<Omit<WebAuthnClientOptions, 'u2f' | 'origin'>>): WebAuthnClient;
  close(): Promise<void>;
}

export async function openTestToken(options: EmulatorTargetOptions = {}): Promise<TestToken> {
  return testTokenOn(await openEmulatorTarget(options));
}

/** The same on any token target (a key served by `keyloop up`, say); closing it closes the target. */
export function testTokenOn(target: TokenTarget): TestToken {
  const channels: CtaphidClient[] = [];
  const u2f: WebAuthnClientOptions['u2f'] = async ({ presenceTimeoutMs }) => {
    const channel = await CtaphidClient.open(await target.openTransport());
    channels.push(channel);
    return new U2fClient({ channel, presenceTimeoutMs, retryIntervalMs: 10 });
  };
  return {
    target,
    u2f,
    browser: (origin, overrides = {}) => new WebAuthnClient({ u2f, origin, ...overrides }),
    async close() {
      await Promise.all(channels.splice(0).map((channel) => channel.close()));
      await target.close();
    },
  };
}
