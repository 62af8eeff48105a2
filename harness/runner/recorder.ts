// The recorder: a read-only tap on every HID report and APDU a scenario exchanges, kept as
// TranscriptEntry lines for transcript.jsonl. Wrappers observe and pass through; they never
// change what is sent or received.
import { writeFile } from 'node:fs/promises';
import { describeReport } from '../../emulator/ctaphid/framing.ts';
import { instructionName } from '../../emulator/token/index.ts';
import type { TranscriptEntry } from '../report/transcript-format.ts';
import type { ReportTransport } from '../transports/report-transport.ts';
import type { ApduChannel } from '../u2f/client.ts';
import { formatStatusWord } from '../u2f/errors.ts';
import { toHex } from '../util/bytes.ts';

/** Where an exchange happened: the scenario and, if one is running, its step. */
export interface RecordingScope {
  scenario: string;
  step?: string;
}

export class Recorder {
  readonly entries: TranscriptEntry[] = [];
  readonly #start: number;

  /** @param start performance.now() at the start of the run; entry times count from it */
  constructor({ start = performance.now() }: { start?: number } = {}) {
    this.#start = start;
  }

  add(scope: RecordingScope, entry: Omit<TranscriptEntry, 't' | 'scenario' | 'step'>): void {
    this.entries.push({ t: Math.round((performance.now() - this.#start) * 1000) / 1000, scenario: scope.scenario, step: scope.step, ...entry });
  }

  /** Every HID report written and read through `transport`. */
  tapTransport(transport: ReportTransport, scope: RecordingScope): ReportTransport {
    const record = (dir: 'out' | 'in', report: Uint8Array) =>
      this.add(scope, { kind: 'hid', dir, hex: toHex(report), summary: describeReport(report), channel: transport.name });
    return {
      name: transport.name,
      async write(report) {
        record('out', report);
        await transport.write(report);
      },
      async read(timeoutMs) {
        const report = await transport.read(timeoutMs);
        record('in', report);
        return report;
      },
      close: () => transport.close(),
    };
  }

  /** Every command and response APDU through `channel`. */
  tapChannel(channel: ApduChannel, scope: RecordingScope): ApduChannel {
    return {
      msg: async (apdu) => {
        this.add(scope, { kind: 'apdu', dir: 'out', hex: toHex(apdu), summary: apdu.length > 1 ? instructionName(apdu[1]) : 'short APDU' });
        const response = await channel.msg(apdu);
        const sw = response.length >= 2 ? (response[response.length - 2] << 8) | response[response.length - 1] : -1;
        this.add(scope, { kind: 'apdu', dir: 'in', hex: toHex(response), summary: sw < 0 ? 'short response' : formatStatusWord(sw) });
        return response;
      },
    };
  }

  /** transcript.jsonl: one entry per line. */
  async write(path: string): Promise<void> {
    await writeFile(path, this.entries.map((entry) => `${JSON.stringify(entry)}\n`).join(''));
  }
}
