// Runs one fuzz target for a time budget with fast-check: a warm-up, a heap measurement, the main
// run, a second measurement. A property failure, a thrown error, a hang or heap growth beyond the
// bound is a finding; fast-check shrinks it and its seed and path replay it.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import type { FuzzTarget } from './fuzz-target.ts';

export interface FuzzRunOptions {
  /** Total time budget, warm-up included. */
  seconds: number;
  /** fast-check seed; random by default. With `path`, replays one recorded finding. */
  seed?: number;
  path?: string;
  /** Below this main-phase length a heap comparison is noise: reported, not judged. */
  minSecondsForHeapVerdict?: number;
}

export interface FuzzFinding {
  seed: number;
  path: string;
  /** The shrunk input, as fast-check prints it. */
  input: string;
  error: string;
}

export interface FuzzResult {
  target: string;
  surface: string;
  seconds: number;
  runs: number;
  runsPerSecond: number;
  /** How many inputs ended in each outcome label. */
  outcomes: Record<string, number>;
  /** JS heap plus external memory (buffers) after a full GC, after the warm-up and at the end (bytes). */
  heapAfterWarmUp: number;
  heapAtEnd: number;
  finding?: FuzzFinding;
}

const WARM_UP_SHARE = 0.2;
/** Heap may grow by this much after warm-up (caches filling, JIT); more is unbounded memory. */
const HEAP_GROWTH_ALLOWANCE = { bytes: 16 * 2 ** 20, share: 0.25 };

export async function runFuzzTarget<C, I>(target: FuzzTarget<C, I>, options: FuzzRunOptions): Promise<FuzzResult> {
  const { seconds, minSecondsForHeapVerdict = 10 } = options;
  const outcomes: Record<string, number> = {};
  const context = await target.setup();
  const started = performance.now();
  // fast-check's time limit abandons the input in flight (it races it); a phase waits for that input
  // before the next phase, a heap sample or teardown, so that no two executes ever overlap.
  let inFlight: Promise<unknown> = Promise.resolve();
  const property = fc.asyncProperty(target.input, async (input) => {
    const run = withinHangLimit(target.execute(context, input), target.hangMilliseconds ?? 5000);
    inFlight = run.catch(() => {});
    const outcome = await run;
    outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
  });
  let runs = 0;
  let finding: FuzzFinding | undefined;
  const phase = async (phaseSeconds: number, seed?: number, path?: string) => {
    const details = await fc.check(property, {
      numRuns: path ? 1 : Number.MAX_SAFE_INTEGER,
      interruptAfterTimeLimit: Math.max(1, Math.round(phaseSeconds * 1000)),
      markInterruptAsFailure: false,
      ...(seed === undefined ? {} : { seed }),
      ...(path === undefined ? {} : { path }),
    });
    await inFlight;
    runs += details.numRuns;
    if (details.failed) {
      finding = {
        seed: details.seed,
        path: details.counterexamplePath ?? '',
        input: fc.stringify(details.counterexample?.[0]),
        error: describeError(details.errorInstance),
      };
    }
  };
  let heapAfterWarmUp = 0;
  let heapAtEnd = 0;
  try {
    if (options.path !== undefined) {
      await phase(seconds, options.seed, options.path);
    } else {
      await phase(seconds * WARM_UP_SHARE, options.seed);
      heapAfterWarmUp = heapAfterGc();
      if (!finding) await phase(seconds * (1 - WARM_UP_SHARE), options.seed === undefined ? undefined : options.seed + 1);
      heapAtEnd = heapAfterGc();
      const allowed = Math.max(HEAP_GROWTH_ALLOWANCE.bytes, heapAfterWarmUp * HEAP_GROWTH_ALLOWANCE.share);
      if (!finding && seconds * (1 - WARM_UP_SHARE) >= minSecondsForHeapVerdict && heapAtEnd - heapAfterWarmUp > allowed) {
        finding = { seed: options.seed ?? 0, path: '', input: `${runs} inputs`, error: `unbounded memory: heap grew from ${mib(heapAfterWarmUp)} to ${mib(heapAtEnd)} after warm-up` };
      }
    }
  } finally {
    await target.teardown(context);
  }
  const elapsed = (performance.now() - started) / 1000;
  return {
    target: target.name,
    surface: target.surface,
    seconds: elapsed,
    runs,
    runsPerSecond: runs / elapsed,
    outcomes,
    heapAfterWarmUp,
    heapAtEnd,
    ...(finding ? { finding } : {}),
  };
}

async function withinHangLimit<T>(work: Promise<T>, milliseconds: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`hang: no outcome within ${milliseconds} ms`)), milliseconds);
  });
  try {
    return await Promise.race([work, hang]);
  } finally {
    clearTimeout(timer);
  }
}

// A full collection before each heap sample; exposing gc at run time spares the CLI a node flag.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

function heapAfterGc(): number {
  collectGarbage();
  collectGarbage();
  const { heapUsed, external } = process.memoryUsage();
  return heapUsed + external;
}

function describeError(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}

export const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
