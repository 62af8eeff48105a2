// Builders for replay tests: transcript lines as the recorder writes them, and command APDUs.
import type { TranscriptLine } from '../../harness/report/read-transcript.ts';
import type { TranscriptEntry } from '../../harness/report/transcript-format.ts';
import { encodeApdu } from '../../harness/u2f/apdu.ts';
import { toHex } from '../../harness/util/bytes.ts';

/** Numbered transcript lines from entries, with default times 1, 2, 3, ... ms. */
export function lines(entries: Array<Partial<TranscriptEntry> & Pick<TranscriptEntry, 'kind' | 'dir'>>): TranscriptLine[] {
  return entries.map((entry, index) => ({
    line: index + 1,
    entry: { t: index + 1, scenario: 'u2f.sample', summary: '', ...entry },
  }));
}

export function apduOut(bytes: Uint8Array, extra: Partial<TranscriptEntry> = {}) {
  return { kind: 'apdu' as const, dir: 'out' as const, hex: toHex(bytes), ...extra };
}

export function apduIn(hex: string, extra: Partial<TranscriptEntry> = {}) {
  return { kind: 'apdu' as const, dir: 'in' as const, hex, ...extra };
}

export function hidReport(dir: 'out' | 'in', scenario: string) {
  return { kind: 'hid' as const, dir, hex: '00'.repeat(64), scenario };
}

/** AUTHENTICATE data: challenge (32) || application (32) || L || key handle. */
export function authenticateApdu(keyHandle: Uint8Array, { p1 = 0x03, challenge = 1, application = 2 } = {}): Uint8Array {
  const data = new Uint8Array([...new Uint8Array(32).fill(challenge), ...new Uint8Array(32).fill(application), keyHandle.length, ...keyHandle]);
  return encodeApdu({ ins: 0x02, p1, data });
}

export function registerApdu({ challenge = 1, application = 2 } = {}): Uint8Array {
  return encodeApdu({ ins: 0x01, p1: 0x03, data: new Uint8Array([...new Uint8Array(32).fill(challenge), ...new Uint8Array(32).fill(application)]) });
}
