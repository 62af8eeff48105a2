// `keyloop up` with a hook through which the load tests run a full garbage collection in it, so
// that each RSS sample measures what the server keeps rather than the garbage V8 lets pile up
// between its own collections. Measured on the IAM load: V8 let old space grow to about 4x its
// live size before its first mark-compact (some 40 s in), which alone moved RSS by 30-45% while the
// live heap stayed at 25 MB; with a full collection before each sample, RSS is flat within a few %.
import { startKeyloopUp, type KeyloopUpOptions, type KeyloopUpProcess } from './keyloop-up-process.ts';
import type { MeasuredProcess } from './load-memory.ts';

const DONE = 'keyloop-load: gc done';
/** Loaded before keyloop (--import): a full collection on SIGUSR2, then DONE on stdout. */
const HOOK = `process.on('SIGUSR2',()=>{globalThis.gc();process.stdout.write(${JSON.stringify(`${DONE}\n`)})})`;
/** Hang timeout of one collection: far above its tens of milliseconds, the machine is shared. */
const GC_TIMEOUT_MS = 10_000;

export type CollectableKeyloopUp = KeyloopUpProcess & MeasuredProcess;

export async function startCollectableKeyloopUp(options: KeyloopUpOptions): Promise<CollectableKeyloopUp> {
  const up = await startKeyloopUp({ ...options, nodeFlags: ['--expose-gc', `--import=data:text/javascript,${encodeURIComponent(HOOK)}`] });
  const collections = () => up.log().filter((line) => line === DONE).length;
  return {
    ...up,
    log: () => up.log().filter((line) => line !== DONE),
    async collectGarbage() {
      const before = collections();
      process.kill(up.pid, 'SIGUSR2');
      const deadline = performance.now() + GC_TIMEOUT_MS;
      while (collections() === before) {
        if (performance.now() > deadline) throw new Error(`keyloop up (pid ${up.pid}) did not finish a garbage collection within ${GC_TIMEOUT_MS} ms`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
  };
}
