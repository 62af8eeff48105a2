// `keyloop up` as a user runs it (bin/keyloop.js, what `npx keyloop up` starts), in a child
// process on free ports, for the tiers that need the real server process: the kernel tier attaches
// exactly what a user would attach, the stress tier loads it and kills it.
//
//   const up = await startKeyloopUp({ devices: 2, iamPort: 0, stateDir });
//   ... openUsbipTransport({ port: up.usbip.port }), new IAMClient({ endpoint: up.iam!.url }) ...
//   await up.kill();                                     // SIGKILL, as a crash
//   const again = await startKeyloopUp({ devices: 2, stateDir, usbipPort: up.usbip.port, iamPort: up.iam!.port });
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const KEYLOOP_BIN = fileURLToPath(new URL('../../bin/keyloop.js', import.meta.url));
/** The banner's last line: printed once every listener is up. */
const READY = /stop: Ctrl-C/;

export interface Endpoint {
  readonly host: string;
  readonly port: number;
}

export interface IamEndpoint extends Endpoint {
  /** http://HOST:PORT, the SDK's endpoint. */
  readonly url: string;
}

/** The listeners `keyloop up` printed. */
interface Banner {
  usbip?: Endpoint;
  iam?: IamEndpoint;
  udp?: Endpoint;
  control?: Endpoint;
}

export interface KeyloopUpOptions {
  /** --host: the interface every listener binds; keyloop's own default (127.0.0.1) when absent. */
  host?: string;
  /** Virtual keys, bus ids 1-1 ... 1-N. */
  devices?: number;
  /** --state DIR: keys and IAM persist there across restarts; in memory if absent. */
  stateDir?: string;
  /** USB/IP port; 0 (the default) lets the OS pick a free one. */
  usbipPort?: number;
  /** IAM + STS port (0: a free one); off by default. The console's origin includes it. */
  iamPort?: number;
  /** Solo UDP port (0: a free one); off by default (its replies go to the fixed port 7112). */
  udpPort?: number;
  /** Control port for `keyloop touch` (0: a free one); off by default. */
  controlPort?: number;
  /** --quiet: the start-up banner only, no line per USB/IP import or detach. */
  quiet?: boolean;
  /** How long start-up may take before the process is killed and the start rejects. */
  startTimeoutMs?: number;
  /** Node flags for the serving process, before bin/keyloop.js (e.g. --expose-gc). */
  nodeFlags?: string[];
}

export interface KeyloopUpProcess {
  /** The node process that serves (bin/keyloop.js loads the CLI in-process: no wrapper). */
  readonly pid: number;
  readonly usbip: Endpoint;
  /** Present when iamPort was given. */
  readonly iam?: IamEndpoint;
  readonly udp?: Endpoint;
  readonly control?: Endpoint;
  /** Milliseconds from spawn until the banner said every listener was up. */
  readonly startMs: number;
  /** stdout and stderr lines so far, ANSI colours removed. */
  log(): readonly string[];
  /** stderr lines only: keyloop up's warnings (protocol problems it logged). */
  warnings(): readonly string[];
  /** SIGTERM (keyloop up closes its servers), resolves with the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL, as a crash: resolves once the process is gone (reaped, its ports and lock free). */
  kill(): Promise<void>;
}

export function startKeyloopUp({
  host,
  devices = 1,
  stateDir,
  usbipPort = 0,
  iamPort,
  udpPort,
  controlPort,
  quiet = false,
  startTimeoutMs = 30_000,
  nodeFlags = [],
}: KeyloopUpOptions = {}): Promise<KeyloopUpProcess> {
  const args = [
    ...nodeFlags,
    KEYLOOP_BIN, 'up', ...(host === undefined ? [] : ['--host', host]), '--devices', String(devices), '--usbip-port', String(usbipPort),
    ...(iamPort === undefined ? ['--no-iam'] : ['--iam-port', String(iamPort)]),
    '--udp-port', udpPort === undefined ? 'off' : String(udpPort),
    '--control-port', controlPort === undefined ? 'off' : String(controlPort),
    ...(stateDir === undefined ? [] : ['--state', stateDir]),
    ...(quiet ? ['--quiet'] : []),
  ];
  const started = performance.now();
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const warnings: string[] = [];
  const endpoints: Banner = {};
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let ready = false;
    const timer = setTimeout(() => fail(new Error(`keyloop up was not ready in ${startTimeoutMs} ms:\n${lines.join('\n')}`)), startTimeoutMs);
    const fail = (error: Error) => {
      clearTimeout(timer);
      if (ready) return;
      child.kill('SIGKILL');
      reject(error);
    };
    const take = (raw: string, stream: 'stdout' | 'stderr') => {
      const line = raw.replace(/\x1b\[[0-9;]*m/g, '');
      if (!line.trim()) return;
      lines.push(line);
      if (stream === 'stderr') warnings.push(line);
      readBannerLine(line, endpoints);
      if (ready || !READY.test(line)) return;
      ready = true;
      clearTimeout(timer);
      if (!endpoints.usbip || (iamPort !== undefined && !endpoints.iam)) return fail(new Error(`keyloop up's banner lacks an address:\n${lines.join('\n')}`));
      resolve({
        pid: child.pid!,
        ...endpoints,
        usbip: endpoints.usbip,
        startMs: performance.now() - started,
        log: () => [...lines],
        warnings: () => [...warnings],
        stop: () => {
          child.kill('SIGTERM');
          return exited;
        },
        kill: async () => {
          child.kill('SIGKILL');
          await exited;
        },
      });
    };
    createInterface({ input: child.stdout }).on('line', (line) => take(line, 'stdout'));
    createInterface({ input: child.stderr }).on('line', (line) => take(line, 'stderr'));
    child.once('error', fail);
    void exited.then((code) => fail(new Error(`keyloop up exited (${code}) before it was ready:\n${lines.join('\n')}`)));
  });
}

/** The addresses in `keyloop up`'s banner (see harness/cli/up-command.ts and emulator/iam/command.ts). */
function readBannerLine(line: string, into: Banner): void {
  const usbip = /^\s*USB\/IP\s+([\d.]+):(\d+)\s/.exec(line);
  if (usbip) into.usbip = { host: usbip[1], port: Number(usbip[2]) };
  const udp = /^\s*UDP\s+([\d.]+):(\d+)\s/.exec(line);
  if (udp) into.udp = { host: udp[1], port: Number(udp[2]) };
  const control = /^\s*control\s+http:\/\/([\d.]+):(\d+)\//.exec(line);
  if (control) into.control = { host: control[1], port: Number(control[2]) };
  const iam = /^\s*IAM \+ STS\s+(http:\/\/([\d.]+):(\d+))\s/.exec(line);
  if (iam) into.iam = { url: iam[1], host: iam[2], port: Number(iam[3]) };
}
