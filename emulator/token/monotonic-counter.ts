// The token's one global signature counter (FIDO U2F Raw Message Formats v1.2, "Authentication
// Response Message: Success"). To avoid an fsync per signature the counter persists a
// reservation ahead of use: values up to the reservation may be handed out, and a new block is
// persisted before the first value beyond it. After a crash the counter resumes above the last
// reservation, so values can be skipped but never repeated.
import type { CounterStore } from './counter-store.ts';
import { TokenError } from './token-error.ts';

const MAX = 0xffffffff;

export interface MonotonicCounterOptions {
  store: CounterStore;
  /** Last value of a new device (the first signature gets initial + 1). */
  initial?: number;
  /** Values reserved per persist: a crash skips at most this many. */
  blockSize?: number;
}

export class MonotonicCounter {
  readonly #store: CounterStore;
  readonly #blockSize: number;
  #last: number;
  #reserved: number;

  private constructor(store: CounterStore, blockSize: number, last: number) {
    this.#store = store;
    this.#blockSize = blockSize;
    this.#last = last;
    this.#reserved = last;
  }

  static async open({ store, initial = 0, blockSize = 256 }: MonotonicCounterOptions): Promise<MonotonicCounter> {
    if (!Number.isInteger(blockSize) || blockSize < 1) throw new RangeError(`blockSize must be a positive integer, got ${blockSize}`);
    // Anything up to the persisted reservation may already have been used.
    const persisted = await store.load();
    return new MonotonicCounter(store, blockSize, persisted ?? initial);
  }

  /** The last value handed out (after open: the value the next one will exceed). */
  get value(): number {
    return this.#last;
  }

  /** The next value, persisted (as part of a block) before it is returned. Not re-entrant. */
  async next(): Promise<number> {
    if (this.#last >= MAX) throw new TokenError('COUNTER_EXHAUSTED', 'the 32-bit signature counter is exhausted');
    const value = this.#last + 1;
    if (value > this.#reserved) {
      const reservation = Math.min(MAX, this.#last + this.#blockSize);
      await this.#store.save(reservation);
      this.#reserved = reservation;
    }
    this.#last = value;
    return value;
  }

  /** On a clean shutdown, give back the unused part of the block so the next run skips nothing. */
  async release(): Promise<void> {
    if (this.#reserved > this.#last) {
      await this.#store.save(this.#last);
      this.#reserved = this.#last;
    }
  }
}
