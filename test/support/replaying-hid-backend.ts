// A fake node-hid backend whose one device replays a recorded transcript: each report the host
// writes must match the next recorded one (an INIT nonce may differ: it is random per run), and
// the device answers with the reports recorded after it, the INIT nonce echoed as the protocol
// requires. It stands in for a physical key whose behaviour was captured once.
import { EventEmitter } from 'node:events';
import type { TranscriptEntry } from '../../harness/report/transcript-format.ts';
import type { HidBackend, HidHandle } from '../../harness/transports/hid.ts';

const INIT = 0x86;

export interface ReplayingDevice {
  backend: HidBackend;
  /** Writes that did not match the transcript, as `expected … got …` lines. */
  mismatches: string[];
}

export function replayingHidBackend(entries: TranscriptEntry[], info: { path: string; vendorId: number; productId: number; product: string }): ReplayingDevice {
  const hid = entries.filter((e) => e.kind === 'hid' && e.hex);
  const mismatches: string[] = [];
  let cursor = 0;
  let nonce: Buffer | undefined;

  const isInit = (report: Buffer) => report[4] === INIT;
  const handle = Object.assign(new EventEmitter(), {
    async write(data: Buffer): Promise<number> {
      const report = data.subarray(1); // report id 0 first, as hidapi takes it
      const expected = hid[cursor];
      const recorded = expected && expected.dir === 'out' ? Buffer.from(expected.hex!, 'hex') : undefined;
      const same = recorded && (isInit(report) && isInit(recorded) ? report.subarray(0, 7).equals(recorded.subarray(0, 7)) : report.equals(recorded));
      if (!same) {
        mismatches.push(`write ${cursor}: expected ${expected?.hex ?? 'nothing'}, got ${report.toString('hex')}`);
        return data.length;
      }
      if (isInit(report)) nonce = Buffer.from(report.subarray(7, 15));
      cursor++;
      const answers: Buffer[] = [];
      while (hid[cursor]?.dir === 'in') answers.push(Buffer.from(hid[cursor++].hex!, 'hex'));
      setImmediate(() => {
        for (const answer of answers) {
          if (isInit(answer) && nonce) nonce.copy(answer, 7);
          handle.emit('data', answer);
        }
      });
      return data.length;
    },
    async close(): Promise<void> {},
  }) as HidHandle;

  return {
    mismatches,
    backend: {
      devices: async () => [{ ...info, usagePage: 0xf1d0, usage: 1 }],
      open: async () => handle,
    },
  };
}
