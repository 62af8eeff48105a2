// `keyloop up` as a user runs it (bin/keyloop.js, what `npx keyloop up` starts), in a child
// process on free ports, so the kernel tier attaches exactly what a user would attach.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const KEYLOOP_BIN = fileURLToPath(new URL('../../bin/keyloop.js', import.meta.url));

export interface KeyloopUpProcess {
  readonly usbip: { readonly host: string; readonly port: number };
  /** stdout and stderr lines so far, ANSI colours removed. */
  log(): readonly string[];
  /** stderr lines only: keyloop up's warnings (protocol problems it logged). */
  warnings(): readonly string[];
  /** SIGTERM (keyloop up closes its servers), resolves with the exit code. */
  stop(): Promise<number | null>;
}

export function startKeyloopUp({
  devices = 1,
  startTimeoutMs = 20_000,
}: {
  /** Virtual keys, bus ids 1-1 ... 1-N. */
  devices?: number;
  startTimeoutMs?: number;
} = {}): Promise<KeyloopUpProcess> {
  // Port 0 everywhere: the OS picks free ports, so the tier never clashes with another run.
  const args = [KEYLOOP_BIN, 'up', '--usbip-port', '0', '--udp-port', '0', '--control-port', '0', '--devices', String(devices)];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const warnings: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let listening = false;
    const timer = setTimeout(() => fail(new Error(`keyloop up printed no USB/IP address in ${startTimeoutMs} ms:\n${lines.join('\n')}`)), startTimeoutMs);
    const fail = (error: Error) => {
      clearTimeout(timer);
      if (listening) return;
      child.kill('SIGKILL');
      reject(error);
    };
    const take = (raw: string, stream: 'stdout' | 'stderr') => {
      const line = raw.replace(/\x1b\[[0-9;]*m/g, '');
      if (!line.trim()) return;
      lines.push(line);
      if (stream === 'stderr') warnings.push(line);
      const address = /usbip: listening on ([\d.]+):(\d+)/.exec(line);
      if (address && !listening) {
        listening = true;
        clearTimeout(timer);
        resolve({
          usbip: { host: address[1], port: Number(address[2]) },
          log: () => [...lines],
          warnings: () => [...warnings],
          stop: () => {
            child.kill('SIGTERM');
            return exited;
          },
        });
      }
    };
    createInterface({ input: child.stdout }).on('line', (line) => take(line, 'stdout'));
    createInterface({ input: child.stderr }).on('line', (line) => take(line, 'stderr'));
    child.once('error', fail);
    void exited.then((code) => fail(new Error(`keyloop up exited (${code}) before listening:\n${lines.join('\n')}`)));
  });
}
