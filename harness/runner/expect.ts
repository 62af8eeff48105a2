// Assertions for scenarios: each failure says what was checked, what was expected and what came.
import { isDeepStrictEqual } from 'node:util';
import { toHex } from '../util/bytes.ts';
import { formatStatusWord } from '../u2f/index.ts';

export class ExpectationError extends Error {
  override readonly name = 'ExpectationError';
  readonly expected: string;
  readonly actual: string;
  constructor(what: string, expected: string, actual: string) {
    super(`${what}: expected ${expected}, got ${actual}`);
    this.expected = expected;
    this.actual = actual;
  }
}

function show(value: unknown): string {
  if (value instanceof Uint8Array) return value.length > 48 ? `${toHex(value.subarray(0, 48))}… (${value.length} bytes)` : toHex(value);
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

export const expect = {
  equal<T>(actual: T, expected: T, what: string): void {
    if (!isDeepStrictEqual(actual, expected)) throw new ExpectationError(what, show(expected), show(actual));
  },
  true(condition: boolean, what: string, actual = 'false'): void {
    if (!condition) throw new ExpectationError(what, 'true', actual);
  },
  /** The status word of a response, shown as `6A80 WRONG_DATA`. */
  statusWord(actual: number, expected: number, what: string): void {
    if (actual !== expected) throw new ExpectationError(what, formatStatusWord(expected), formatStatusWord(actual));
  },
  greater(actual: number, bound: number, what: string): void {
    if (!(actual > bound)) throw new ExpectationError(what, `> ${bound}`, String(actual));
  },
  within(actual: number, min: number, max: number, what: string): void {
    if (!(actual >= min && actual <= max)) throw new ExpectationError(what, `${min}..${max}`, String(actual));
  },
  /** Await an AWS call that must fail with error code `code` (the SDK's error name); returns the error. */
  async awsError(promise: Promise<unknown>, code: string, what: string): Promise<Error> {
    try {
      const value = await promise;
      throw new ExpectationError(what, `AWS error ${code}`, `success (${show(JSON.stringify(value))})`);
    } catch (error) {
      if (error instanceof ExpectationError) throw error;
      if (error instanceof Error && error.name === code) return error;
      throw new ExpectationError(what, `AWS error ${code}`, show(error));
    }
  },
  /** Await a promise that must reject; returns the error for further checks. */
  async rejects<E extends Error>(promise: Promise<unknown>, type: new (...args: never[]) => E, what: string): Promise<E> {
    try {
      const value = await promise;
      throw new ExpectationError(what, `${type.name}`, `success (${show(value)})`);
    } catch (error) {
      if (error instanceof ExpectationError) throw error;
      if (error instanceof type) return error;
      throw new ExpectationError(what, type.name, show(error));
    }
  },
};

export type Expect = typeof expect;
