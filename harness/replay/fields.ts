// The facts replay compares, by name, and the comparison itself. Each side's answer becomes a
// small record of strings (`signature`: `verifies`), so two tokens with different keys compare
// by what their answers mean rather than by their bytes.
import type { FieldDifference } from './model.ts';

/** Field names as they appear in the output: `field: recorded X, replayed Y`. */
export const Field = {
  /** `9000 NO_ERROR`, or why there is none (`no answer: ...`). */
  STATUS_WORD: 'status word',
  VERSION: 'version',
  /** Data length of answers to commands whose data is not compared field by field. */
  RESPONSE_LENGTH: 'response length',
  RESERVED_BYTE: 'reserved byte',
  USER_PUBLIC_KEY: 'user public key',
  KEY_HANDLE_LENGTH: 'key handle length',
  ATTESTATION_SUBJECT: 'attestation subject',
  ATTESTATION_SIGNATURE: 'attestation signature',
  USER_PRESENCE: 'user presence',
  /** The counter relative to the previous one in the scenario: values differ between tokens, order must not. */
  COUNTER_ORDER: 'counter order',
  SIGNATURE: 'signature',
  /** Why the answer's data could not be split into its fields. */
  MALFORMED: 'malformed response',
} as const;

export type Fields = Record<string, string>;

/** What a field is on a side that has no value for it. */
const ABSENT = '(absent)';

/**
 * The fields whose values differ, in the order the recorded side lists them. Different status
 * words make the other fields incomparable (an error has none), so that one difference stands alone.
 */
export function diffFields(recorded: Fields, replayed: Fields): FieldDifference[] {
  const status = { field: Field.STATUS_WORD, recorded: recorded[Field.STATUS_WORD] ?? ABSENT, replayed: replayed[Field.STATUS_WORD] ?? ABSENT };
  if (status.recorded !== status.replayed) return [status];
  const names = new Set([...Object.keys(recorded), ...Object.keys(replayed)]);
  return [...names]
    .map((field) => ({ field, recorded: recorded[field] ?? ABSENT, replayed: replayed[field] ?? ABSENT }))
    .filter((difference) => difference.recorded !== difference.replayed);
}
