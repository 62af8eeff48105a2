// A FIFO of reports from a device, with per-read timeouts: the receiving half that every
// transport needs (the pipe, UDP and USB/IP clients push into it as reports arrive).
import { TransportClosedError, TransportTimeoutError } from './report-transport.ts';

interface Waiter {
  resolve(report: Uint8Array): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

export class ReportQueue {
  readonly #name: string;
  readonly #reports: Uint8Array[] = [];
  readonly #waiters: Waiter[] = [];
  #closed = false;

  /** @param name transport name used in timeout and close errors */
  constructor(name: string) {
    this.#name = name;
  }

  /** Deliver a report from the device; wakes the oldest pending read. Ignored once closed. */
  push(report: Uint8Array): void {
    if (this.#closed) return;
    const waiter = this.#waiters.shift();
    if (waiter) {
      clearTimeout(waiter.timer);
      waiter.resolve(report);
    } else {
      this.#reports.push(report);
    }
  }

  /** The next report, or TransportTimeoutError after `timeoutMs`, or TransportClosedError. */
  read(timeoutMs: number): Promise<Uint8Array> {
    const queued = this.#reports.shift();
    if (queued) return Promise.resolve(queued);
    if (this.#closed) return Promise.reject(new TransportClosedError(this.#name));
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        timer: setTimeout(() => {
          this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
          reject(new TransportTimeoutError(this.#name, timeoutMs));
        }, timeoutMs),
      };
      this.#waiters.push(waiter);
    });
  }

  /** Number of reports received and not yet read. */
  get size(): number {
    return this.#reports.length;
  }

  /** Drop queued reports (a client resynchronising after an error). */
  clear(): void {
    this.#reports.length = 0;
  }

  /** Reject pending and future reads with TransportClosedError. */
  close(error: Error = new TransportClosedError(this.#name)): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const waiter of this.#waiters.splice(0)) {
      clearTimeout(waiter.timer);
      waiter.reject(error);
    }
  }
}
