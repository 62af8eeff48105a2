// A server's resident memory under load: VmRSS from /proc/PID/status, sampled every second right
// after a full garbage collection (see load-gc.ts), and how far it grew after the warm-up.
import { readFileSync } from 'node:fs';

export interface RssSample {
  /** Milliseconds since sampling started. */
  atMs: number;
  rssKb: number;
}

/** VmRSS of a live process, in kB (Linux only, as the stress tier is). */
export function readRssKb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(status);
  if (!match) throw new Error(`/proc/${pid}/status has no VmRSS line`);
  return Number(match[1]);
}

/** The process whose memory is sampled. */
export interface MeasuredProcess {
  readonly pid: number;
  /** Run a full garbage collection in it; resolves once it is done. */
  collectGarbage(): Promise<void>;
}

export interface RssSampler {
  /** Stop sampling; the samples taken, oldest first. Rejects if a collection failed (a hung server). */
  stop(): Promise<RssSample[]>;
}

/** VmRSS right after a full garbage collection, every `intervalMs`, until stopped. */
export function sampleRss(target: MeasuredProcess, intervalMs = 1000): RssSampler {
  const start = performance.now();
  const samples: RssSample[] = [];
  let stopped = false;
  let wake = () => {};
  const take = async () => {
    await target.collectGarbage();
    samples.push({ atMs: performance.now() - start, rssKb: readRssKb(target.pid) });
  };
  const loop = (async () => {
    for (let next = start + intervalMs; !stopped; next += intervalMs) {
      await take();
      if (stopped) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(0, next - performance.now()));
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  })();
  loop.catch(() => {}); // handled: stop() rethrows it
  return {
    async stop() {
      stopped = true;
      wake();
      await loop;
      await take();
      return samples;
    },
  };
}

/** How far RSS may grow after the warm-up: 10% over its level at the warm-up's end. */
export const MAX_GROWTH = 0.1;

export interface MemoryGrowth {
  /** RSS at the end of the warm-up (median of the samples in its last BASELINE_WINDOW_MS). */
  warmupKb: number;
  /** Highest RSS sampled after the warm-up. */
  maxAfterKb: number;
  /** maxAfterKb / warmupKb - 1. */
  growth: number;
}

// Even right after a full collection, RSS moves by a few MB from sample to sample: the young
// generation's size, malloc arenas and pages V8 has yet to hand back. A single sample at the
// warm-up point could land on such a dip and make an ordinary level look like growth, so the
// baseline is the median of the samples in the warm-up's last 3 s (about three): one dip or spike
// cannot decide it. The maximum after it stays a single sample, on purpose: a leak shows there first.
const BASELINE_WINDOW_MS = 3000;

export function memoryGrowth(samples: readonly RssSample[], warmupMs: number): MemoryGrowth {
  const window = samples.filter((s) => s.atMs <= warmupMs && s.atMs > warmupMs - BASELINE_WINDOW_MS);
  const after = samples.filter((s) => s.atMs > warmupMs);
  if (window.length === 0 || after.length === 0) {
    throw new Error(`memory: need samples in the warm-up's last ${BASELINE_WINDOW_MS} ms and after ${warmupMs} ms, got ${window.length} and ${after.length}`);
  }
  const warmupKb = median(window.map((s) => s.rssKb));
  const maxAfterKb = Math.max(...after.map((s) => s.rssKb));
  return { warmupKb, maxAfterKb, growth: maxAfterKb / warmupKb - 1 };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const mb = (kb: number): string => `${(kb / 1024).toFixed(1)} MB`;

/** `150.2 MB at warm-up, max 155.0 MB after (+3.2%)` */
export function describeGrowth({ warmupKb, maxAfterKb, growth }: MemoryGrowth): string {
  return `${mb(warmupKb)} at warm-up, max ${mb(maxAfterKb)} after (${growth >= 0 ? '+' : ''}${(growth * 100).toFixed(1)}%)`;
}
