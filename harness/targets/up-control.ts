// Client of `keyloop up`'s control port (emulator/control/control-server.ts): touch a key, set
// its presence policy, list the keys. Used by `keyloop touch` and by remote token targets, which
// gain presence control when the server that exports their key offers it.
import { DEFAULT_CONTROL_PORT } from '../../emulator/control/control-port.ts';
import type { KeyStatus } from '../../emulator/control/control-server.ts';
import { formatPresencePolicy, type PresencePolicy } from '../../emulator/token/index.ts';

export interface UpControlOptions {
  host?: string;
  port?: number;
  /** Per request; the control port answers at once or not at all. */
  timeoutMs?: number;
}

export interface UpKeys {
  usbipPort?: number;
  udpPort?: number;
  keys: KeyStatus[];
}

export class UpControl {
  readonly #base: string;
  readonly #timeoutMs: number;

  constructor({ host = '127.0.0.1', port = DEFAULT_CONTROL_PORT, timeoutMs = 2_000 }: UpControlOptions = {}) {
    this.#base = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
    this.#timeoutMs = timeoutMs;
  }

  async keys(): Promise<UpKeys> {
    return (await this.#request('GET', '/keys')).json() as Promise<UpKeys>;
  }

  async touch(busId?: string): Promise<void> {
    await this.#request('POST', `/touch${query({ busId })}`);
  }

  async setPresence(policy: PresencePolicy, busId?: string): Promise<void> {
    await this.#request('POST', `/presence${query({ busId, policy: formatPresencePolicy(policy) })}`);
  }

  async #request(method: string, path: string): Promise<Response> {
    const response = await fetch(`${this.#base}${path}`, { method, signal: AbortSignal.timeout(this.#timeoutMs) }).catch((error: Error) => {
      throw new Error(`no keyloop control port at ${this.#base} (is \`keyloop up\` running?): ${error.message}`, { cause: error });
    });
    if (!response.ok) throw new Error(`${method} ${this.#base}${path}: HTTP ${response.status} ${(await response.text()).trim()}`);
    return response;
  }
}

function query(params: Record<string, string | undefined>): string {
  const entries = Object.entries(params).filter((entry): entry is [string, string] => entry[1] !== undefined);
  return entries.length ? `?${new URLSearchParams(entries)}` : '';
}
