// Shared fixtures of the WebAuthn suites: an emulator token and WebAuthn clients on it whose
// channels are closed with the token, plus an RP (SimpleWebAuthn) configuration.
import { CtaphidClient } from '../../harness/ctaphid/index.ts';
import { openEmulatorTarget } from '../../harness/targets/emulator-target.ts';
import type { TokenTarget } from '../../harness/targets/token-target.ts';
import { U2fClient } from '../../harness/u2f/index.ts';
import { WebAuthnClient, type WebAuthnClientOptions } from '../../harness/webauthn/index.ts';

export const RP_ID = 'keyloop.example';
export const ORIGIN = 'https://keyloop.example';

export interface EmulatorBrowser {
  target: TokenTarget;
  /** A WebAuthn client on the token for ORIGIN unless overridden. */
  browser(overrides?: Partial<Omit<WebAuthnClientOptions, 'u2f'>>): WebAuthnClient;
  close(): Promise<void>;
}

export async function openEmulatorBrowser(): Promise<EmulatorBrowser> {
  const target = await openEmulatorTarget();
  const channels: CtaphidClient[] = [];
  const u2f: WebAuthnClientOptions['u2f'] = async ({ presenceTimeoutMs }) => {
    const channel = await CtaphidClient.open(await target.openTransport());
    channels.push(channel);
    return new U2fClient({ channel, presenceTimeoutMs, retryIntervalMs: 10 });
  };
  return {
    target,
    browser: (overrides = {}) => new WebAuthnClient({ u2f, origin: ORIGIN, ...overrides }),
    async close() {
      await Promise.all(channels.map((channel) => channel.close()));
      await target.close();
    },
  };
}

/** Run `body` with a fresh emulator token, closing it afterwards. */
export async function withEmulatorBrowser<T>(body: (env: EmulatorBrowser) => Promise<T>): Promise<T> {
  const env = await openEmulatorBrowser();
  try {
    return await body(env);
  } finally {
    await env.close();
  }
}
