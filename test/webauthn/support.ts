// Shared fixtures of the WebAuthn suites: an emulator token and WebAuthn clients on it whose
// channels are closed with the token, plus an RP (SimpleWebAuthn) configuration.
import type { TokenTarget } from '../../harness/targets/token-target.ts';
import type { WebAuthnClient, WebAuthnClientOptions } from '../../harness/webauthn/index.ts';
import { openTestToken } from '../support/emulator-token.ts';

export const RP_ID = 'keyloop.example';
export const ORIGIN = 'https://keyloop.example';

export interface EmulatorBrowser {
  target: TokenTarget;
  /** A WebAuthn client on the token for ORIGIN unless overridden. */
  browser(overrides?: Partial<Omit<WebAuthnClientOptions, 'u2f'>>): WebAuthnClient;
  close(): Promise<void>;
}

export async function openEmulatorBrowser(): Promise<EmulatorBrowser> {
  const token = await openTestToken();
  return {
    target: token.target,
    browser: ({ origin = ORIGIN, ...overrides } = {}) => token.browser(origin, overrides),
    close: () => token.close(),
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
