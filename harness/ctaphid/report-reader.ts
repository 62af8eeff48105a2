// Reads reports for the CTAPHID client, one transport read at a time. A read that its caller
// stopped waiting for (a cancelled call) stays in flight and serves the next caller, so no report
// is swallowed by a promise nobody awaits.
import { TransportTimeoutError } from '../transports/report-transport.ts';
import type { ReportTransport } from '../transports/report-transport.ts';

type ReadOutcome = { report: Uint8Array } | { timedOut: true } | { error: unknown };

export class ReportReader {
  readonly #transport: ReportTransport;
  #inFlight: Promise<ReadOutcome> | undefined;

  constructor(transport: ReportTransport) {
    this.#transport = transport;
  }

  /**
   * The next report, or undefined once `deadline` (a performance.now() time) has passed. Rejects with
   * the signal's reason when aborted, and with the transport's error (e.g. closed). A read inherited
   * from an aborted caller keeps its own timeout, so the wait may overrun the deadline by that much.
   */
  async next(deadline: number, signal?: AbortSignal): Promise<Uint8Array | undefined> {
    for (;;) {
      const remaining = Math.ceil(deadline - performance.now());
      if (remaining <= 0) return undefined;
      this.#inFlight ??= this.#transport.read(remaining).then(
        (report) => ({ report }),
        (error: unknown) => (error instanceof TransportTimeoutError ? { timedOut: true } : { error }),
      );
      const outcome = await abortable(this.#inFlight, signal);
      this.#inFlight = undefined;
      if ('report' in outcome) return outcome.report;
      if ('error' in outcome) throw outcome.error;
    }
  }
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
