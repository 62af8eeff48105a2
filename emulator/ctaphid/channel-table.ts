// CTAPHID channel identifiers: CTAP 2.1 section 11.2.3 (concurrency and channels) and 11.2.9.1.3
// (CTAPHID_INIT allocates a unique CID; 0 and the broadcast CID are reserved).
import { BROADCAST_CID } from './constants.ts';

export interface ChannelTableOptions {
  /** Random source for new CIDs. */
  random: (n: number) => Uint8Array;
  /** Most channels kept; the least recently used idle one is forgotten to make room. */
  capacity?: number;
}

/** Channels a device keeps by default: enough for every host at once, and a bound on memory. */
export const DEFAULT_CHANNEL_CAPACITY = 256;

/** Draws per allocation before giving up (only a broken or constant random source gets there). */
const ALLOCATION_ATTEMPTS = 8;

export class ChannelTable {
  readonly #random: (n: number) => Uint8Array;
  readonly #capacity: number;
  /** Insertion order is recency order: touch() moves a CID to the end. */
  readonly #cids = new Set<number>();

  constructor({ random, capacity = DEFAULT_CHANNEL_CAPACITY }: ChannelTableOptions) {
    this.#random = random;
    this.#capacity = capacity;
  }

  has(cid: number): boolean {
    return this.#cids.has(cid);
  }

  /** Mark a channel as just used, so that it is the last to be forgotten. */
  touch(cid: number): void {
    if (this.#cids.delete(cid)) this.#cids.add(cid);
  }

  /**
   * A new unique CID, or undefined if the random source keeps failing. When full, forgets the least
   * recently used channel that `inUse` does not protect (the one in a transaction or holding the lock).
   */
  allocate(inUse: (cid: number) => boolean): number | undefined {
    for (let attempt = 0; attempt < ALLOCATION_ATTEMPTS; attempt++) {
      const bytes = this.#random(4);
      if (bytes.length < 4) return undefined;
      const cid = new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0);
      if (cid === 0 || cid === BROADCAST_CID || this.#cids.has(cid)) continue;
      if (this.#cids.size >= this.#capacity) this.#forgetOldest(inUse);
      this.#cids.add(cid);
      return cid;
    }
    return undefined;
  }

  clear(): void {
    this.#cids.clear();
  }

  #forgetOldest(inUse: (cid: number) => boolean): void {
    for (const cid of this.#cids) {
      if (!inUse(cid)) {
        this.#cids.delete(cid);
        return;
      }
    }
  }
}
