// Harness figures: the default `keyloop run` (wall time, peak memory), `keyloop up` start-up and
// memory per virtual key, each next to a reference taken in the same run: the CLI merely
// starting (`keyloop --version`), and the process before any key exists.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTokenServers } from '../emulator/serve-token.ts';
import { compare, type BenchRow } from './table.ts';

const CLI = fileURLToPath(new URL('../bin/keyloop.js', import.meta.url));

interface Timed {
  ms: number;
  /** Peak resident set size in MiB (VmHWM, read while the process runs). */
  peakMiB: number;
}

/** Runs the CLI until it exits, or until `ready` shows in its output (then stops it with SIGINT). */
function timeCli(args: string[], ready?: RegExp): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let peakKiB = 0;
    let readyAt: number | undefined;
    const sample = setInterval(async () => {
      const status = await readFile(`/proc/${child.pid}/status`, 'utf8').catch(() => '');
      peakKiB = Math.max(peakKiB, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0));
    }, 20);
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
      if (ready && readyAt === undefined && ready.test(output)) {
        readyAt = performance.now();
        child.kill('SIGINT');
      }
    });
    child.stderr.on('data', (chunk) => { output += chunk; });
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(sample);
      if (code !== 0 && !ready) return reject(new Error(`keyloop ${args.join(' ')} exited ${code}:\n${output.slice(-2000)}`));
      resolve({ ms: (readyAt ?? performance.now()) - start, peakMiB: peakKiB / 1024 });
    });
  });
}

async function memoryPerKey(keys: number): Promise<{ perKeyKiB: number; baseMiB: number }> {
  global.gc?.();
  const before = process.memoryUsage().rss;
  const servers = await startTokenServers({ usbipPort: 0, udpPort: null, controlPort: null, devices: keys });
  global.gc?.();
  const after = process.memoryUsage().rss;
  await servers.close();
  return { perKeyKiB: (after - before) / keys / 1024, baseMiB: before / 1024 / 1024 };
}

export async function harnessRows(): Promise<BenchRow[]> {
  const reports = await mkdtemp(join(tmpdir(), 'keyloop-bench-'));
  try {
    const bare = await timeCli(['--version']);
    const run = await timeCli(['run', '--reports', reports]);
    const up = await timeCli(['up', '--usbip-port', '0', '--udp-port', '0', '--control-port', '0', '--iam-port', '0'], /stop: Ctrl-C/);
    const { perKeyKiB, baseMiB } = await memoryPerKey(64);
    return [
      compare('keyloop run (default suites), wall time', run.ms / 1000, 's', 'keyloop --version, s', bare.ms / 1000),
      compare('keyloop run (default suites), peak RSS', run.peakMiB, 'MiB', 'keyloop --version, MiB', bare.peakMiB),
      compare('keyloop up start-up (keys + IAM + console)', up.ms / 1000, 's', 'keyloop --version, s', bare.ms / 1000),
      // A key's share is tiny next to the process; the ratio would read 0.00x, so the row states both.
      { figure: 'memory per virtual key (64 keys served)', value: perKeyKiB, unit: 'KiB', reference: 'process RSS before, KiB', referenceValue: baseMiB * 1024 },
    ];
  } finally {
    await rm(reports, { recursive: true, force: true });
  }
}
