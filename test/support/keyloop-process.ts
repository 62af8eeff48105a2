// The keyloop CLI as a user starts it (bin/keyloop.js, what `npx keyloop` runs), in a child process
// whose output the test reads as it comes: for suites that check what a running `keyloop up` or a
// whole `keyloop run` does from the outside (its sockets, its output, its reports).
import { execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const KEYLOOP_BIN = fileURLToPath(new URL('../../bin/keyloop.js', import.meta.url));

export interface KeyloopProcess {
  readonly pid: number;
  /** stdout so far, without colours. */
  stdout(): string;
  /** stderr so far, without colours. */
  stderr(): string;
  /** Resolves with the first match of `pattern` in stdout; rejects if the process ends first or after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  /** Resolves with the exit code once the process has ended by itself. */
  exited(): Promise<number | null>;
  /** Ctrl-C (SIGINT), as a user stops `keyloop up`; resolves with the exit code. */
  stop(): Promise<number | null>;
}

export interface KeyloopOutcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a keyloop command to its end, as a user does from a shell (colours off). */
export function runKeyloop(...args: string[]): Promise<KeyloopOutcome> {
  return new Promise((resolve) => {
    execFile(process.execPath, [KEYLOOP_BIN, ...args], { env: { ...process.env, NO_COLOR: '1' } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

export interface StartKeyloopOptions {
  /** Environment variables on top of this process's. */
  env?: Record<string, string>;
}

export function startKeyloop(args: readonly string[], { env = {} }: StartKeyloopOptions = {}): KeyloopProcess {
  const child = spawn(process.execPath, [KEYLOOP_BIN, ...args], { env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const listeners = new Set<() => void>();
  const heard = () => listeners.forEach((listener) => listener());
  child.stdout.on('data', (chunk) => {
    out += chunk;
    heard();
  });
  child.stderr.on('data', (chunk) => {
    err += chunk;
  });
  const exit = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  let ended = false;
  void exit.then(() => {
    ended = true;
    heard();
  });
  const plain = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, '');
  return {
    pid: child.pid!,
    stdout: () => plain(out),
    stderr: () => plain(err),
    // Generous by default: on a loaded machine the CLI alone can take seconds to load.
    waitFor: (pattern, timeoutMs = 60_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(plain(out));
          if (match || ended) {
            listeners.delete(check);
            clearTimeout(timer);
            if (match) resolve(match);
            else reject(new Error(`keyloop ${args.join(' ')} ended without printing ${pattern}:\n${plain(out)}\n${plain(err)}`));
          }
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`keyloop ${args.join(' ')} printed no ${pattern} in ${timeoutMs} ms:\n${plain(out)}\n${plain(err)}`));
        }, timeoutMs);
        listeners.add(check);
        check();
      }),
    exited: () => exit,
    stop: () => {
      if (!ended) child.kill('SIGINT');
      return exit;
    },
  };
}
