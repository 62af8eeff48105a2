// What every load test shares: workers loop over their next operation until the deadline while the
// server's RSS is sampled; a failed operation is counted under its kind and the worker goes on.
import { cpuSeconds } from './load-cpu.ts';
import { memoryGrowth, sampleRss, type MeasuredProcess, type MemoryGrowth, type RssSample } from './load-memory.ts';

/** KEYLOOP_LOAD_SECONDS, default 60. */
export function loadSeconds(): number {
  const value = process.env.KEYLOOP_LOAD_SECONDS;
  if (value === undefined || value === '') return 60;
  const seconds = Number(value);
  if (!(seconds > 0)) throw new RangeError(`KEYLOOP_LOAD_SECONDS: expected a positive number of seconds, got ${value}`);
  return seconds;
}

/** The warm-up: the first 20% of the run, at least 5 s. */
export const warmupMs = (seconds: number): number => Math.max(5, seconds * 0.2) * 1000;

/** A check the load client makes on an answer (a bad signature, a wrong field), counted under `kind`. */
export class LoadCheckFailure extends Error {
  override readonly name = 'LoadCheckFailure';
  constructor(
    readonly kind: string,
    detail: string,
  ) {
    super(`${kind}: ${detail}`);
  }
}

export interface LoadWorker {
  /** One operation; rejects on any failure. */
  step(): Promise<void>;
}

export interface RunLoadOptions {
  workers: readonly LoadWorker[];
  seconds: number;
  /** The server process, whose RSS is sampled. */
  server: MeasuredProcess;
  /** The kind a failure that is not a LoadCheckFailure counts under: its protocol code where it has one. */
  classify: (error: unknown) => string;
}

export interface LoadResult {
  /** Measured wall time of the run. */
  seconds: number;
  operations: number;
  errors: number;
  /** Failures by kind, with the first message of each. */
  failures: Record<string, { count: number; first: string }>;
  memory: MemoryGrowth;
  rss: RssSample[];
  /** CPU cores each side kept busy on average: which one is the bottleneck. */
  cpu: { server: number; client: number };
}

// A worker whose connection broke would fail at once on every step; past this many failures it
// stops, so a broken run ends in a clear count instead of a busy loop.
const MAX_FAILURES_PER_WORKER = 10;

export async function runLoad({ workers, seconds, server, classify }: RunLoadOptions): Promise<LoadResult> {
  const failures: LoadResult['failures'] = {};
  let operations = 0;
  let errors = 0;
  const start = performance.now();
  const deadline = start + seconds * 1000;
  const sampler = sampleRss(server);
  const serverCpu = cpuSeconds(server.pid);
  const clientCpu = process.cpuUsage();
  const drive = async (worker: LoadWorker) => {
    let failed = 0;
    while (performance.now() < deadline && failed < MAX_FAILURES_PER_WORKER) {
      try {
        await worker.step();
        operations++;
      } catch (error) {
        failed++;
        errors++;
        const kind = error instanceof LoadCheckFailure ? error.kind : classify(error);
        failures[kind] ??= { count: 0, first: error instanceof Error ? error.message : String(error) };
        failures[kind].count++;
      }
    }
  };
  await Promise.all(workers.map(drive));
  const rss = await sampler.stop();
  const elapsed = (performance.now() - start) / 1000;
  const client = process.cpuUsage(clientCpu);
  const cpu = { server: (cpuSeconds(server.pid) - serverCpu) / elapsed, client: (client.user + client.system) / 1e6 / elapsed };
  return { seconds: elapsed, operations, errors, failures, memory: memoryGrowth(rss, warmupMs(seconds)), rss, cpu };
}
