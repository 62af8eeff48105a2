// Persistence for the signature counter (FIDO U2F Raw Message Formats v1.2, "Authentication
// Response Message: Success": the counter must increase with every signature). The store
// holds one number, the reservation: no value above it has ever left the token.
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from './atomic-file.ts';
import { TokenError } from './token-error.ts';

export interface CounterStore {
  /** The persisted reservation, or undefined for a new device. */
  load(): Promise<number | undefined>;
  /** Persist a reservation durably; resolves only once it would survive a crash. */
  save(reservation: number): Promise<void>;
}

/** Keeps the reservation in a JSON file `{"reserved": N}`, replaced atomically. */
export class FileCounterStore implements CounterStore {
  readonly path: string;

  constructor(path: string) {
    this.path = path;
  }

  async load(): Promise<number | undefined> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    let reserved: unknown;
    try {
      reserved = (JSON.parse(text) as { reserved?: unknown }).reserved;
    } catch (error) {
      throw new TokenError('INVALID_STATE', `${this.path}: not JSON`, { cause: error });
    }
    if (!Number.isInteger(reserved) || (reserved as number) < 0 || (reserved as number) > 0xffffffff) {
      throw new TokenError('INVALID_STATE', `${this.path}: "reserved" must be an integer 0..0xFFFFFFFF`);
    }
    return reserved as number;
  }

  async save(reservation: number): Promise<void> {
    await writeFileAtomic(this.path, `${JSON.stringify({ reserved: reservation })}\n`);
  }
}

/** For tokens without a state directory; counts saves so tests can see how often we persist. */
export class MemoryCounterStore implements CounterStore {
  #reservation: number | undefined;
  saves = 0;

  async load(): Promise<number | undefined> {
    return this.#reservation;
  }

  async save(reservation: number): Promise<void> {
    this.#reservation = reservation;
    this.saves++;
  }
}
