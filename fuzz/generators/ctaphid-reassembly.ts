// The oracle for what a CTAPHID device may act on (CTAP 2.1 section 11.2.4): only payloads that a
// correct reassembler could build from the reports fed, per CID, in SEQ order (what reaches the
// applet as a MSG, what a PING echoes). Written from the spec, not from emulator/ctaphid/framing.ts,
// which it checks.
import { CtaphidCommand, MAX_MESSAGE_SIZE } from '../../emulator/ctaphid/constants.ts';

/**
 * Payloads (hex) of `command` messages a correct reassembler could produce from `reports`, ignoring
 * busy, lock and channel rules (which only remove messages). An empty MSG is no message.
 */
export function completeMessages(reports: readonly Uint8Array[], command: number = CtaphidCommand.MSG): Set<string> {
  const complete = new Set<string>();
  const open = new Map<number, { length: number; bytes: number[]; seq: number }>();
  for (const r of reports) {
    if (r.length > 64) continue;
    const padded = new Uint8Array(64);
    padded.set(r);
    const cid = ((padded[0]! << 24) | (padded[1]! << 16) | (padded[2]! << 8) | padded[3]!) >>> 0;
    let state = open.get(cid);
    if (padded[4]! & 0x80) {
      open.delete(cid);
      const length = (padded[5]! << 8) | padded[6]!;
      if ((padded[4]! & 0x7f) !== command || length > MAX_MESSAGE_SIZE || (length < 1 && command === CtaphidCommand.MSG)) continue;
      state = { length, bytes: [...padded.slice(7, 7 + Math.min(length, 57))], seq: 0 };
      open.set(cid, state);
    } else if (state && padded[4] === state.seq) {
      state.seq++;
      state.bytes.push(...padded.slice(5, 5 + Math.min(state.length - state.bytes.length, 59)));
    } else {
      open.delete(cid);
      continue;
    }
    if (state.bytes.length === state.length) {
      complete.add(Buffer.from(state.bytes).toString('hex'));
      open.delete(cid);
    }
  }
  return complete;
}
