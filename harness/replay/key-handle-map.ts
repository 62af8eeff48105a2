// Two tokens never issue the same key handle: the recorded REGISTER answered KH_A where the
// target answers KH_B. Later AUTHENTICATE commands of the scenario carried KH_A; replay sends KH_B
// in its place, so the target is asked about its own credential as the recorded token was.
import { encodeApdu } from '../u2f/apdu.ts';
import { toHex } from '../util/bytes.ts';
import { readU2fRequest } from './u2f-request.ts';

/** Recorded key handle (hex) to the key handle the target issued for the same REGISTER. */
export type KeyHandleMap = ReadonlyMap<string, Uint8Array>;

export interface SubstitutedCommand {
  command: Uint8Array;
  /** True when a recorded key handle was replaced. */
  substituted: boolean;
}

/**
 * The command to send in place of a recorded one. Same length: the handle is replaced in place,
 * keeping the recorded encoding (short or extended). Another length: the APDU is re-encoded in
 * the extended form with the new data length.
 */
export function substituteKeyHandle(command: Uint8Array, handles: KeyHandleMap): SubstitutedCommand {
  const request = readU2fRequest(command);
  if (request.kind !== 'authenticate') return { command, substituted: false };
  const replacement = handles.get(toHex(request.keyHandle));
  if (!replacement) return { command, substituted: false };
  if (replacement.length === request.keyHandle.length) {
    const copy = new Uint8Array(command);
    copy.set(replacement, request.keyHandleOffset);
    return { command: copy, substituted: true };
  }
  const data = new Uint8Array([...request.challenge, ...request.application, replacement.length, ...replacement]);
  const [cla, ins, p1, p2] = command;
  return { command: encodeApdu({ cla, ins, p1, p2, data }), substituted: true };
}
