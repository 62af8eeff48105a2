// Test rigs for the CTAPHID suites: a device whose output is captured synchronously, fake applets,
// a scripted transport, and a message decoder written independently of emulator/ctaphid/framing.ts.
import { CtaphidDevice } from '../../emulator/ctaphid/device.ts';
import type { CtaphidDeviceOptions } from '../../emulator/ctaphid/device.ts';
import type { CtaphidApplet } from '../../emulator/ctaphid/applet.ts';
import { BROADCAST_CID, CtaphidCommand } from '../../emulator/ctaphid/constants.ts';
import { fragmentMessage } from '../../emulator/ctaphid/framing.ts';
import { INIT_NONCE, counterRandom } from '../../fuzz/generators/ctaphid-reports.ts';
import { ReportQueue } from '../../harness/transports/report-queue.ts';
import type { ReportTransport } from '../../harness/transports/report-transport.ts';

export interface Message {
  cid: number;
  command: number;
  payload: Uint8Array;
}

/** Decode a device's output into messages, by hand (not with MessageAssembler, which is under test). */
export function decodeMessages(reports: Uint8Array[]): Message[] {
  const messages: Message[] = [];
  let current: { cid: number; command: number; length: number; bytes: number[] } | undefined;
  for (const r of reports) {
    const cid = ((r[0] << 24) | (r[1] << 16) | (r[2] << 8) | r[3]) >>> 0;
    if (r[4] & 0x80) {
      const length = (r[5] << 8) | r[6];
      current = { cid, command: r[4] & 0x7f, length, bytes: [...r.slice(7, 7 + Math.min(length, 57))] };
    } else if (current && cid === current.cid) {
      current.bytes.push(...r.slice(5, 5 + Math.min(current.length - current.bytes.length, 59)));
    }
    if (current && current.bytes.length === current.length) {
      messages.push({ cid: current.cid, command: current.command, payload: Uint8Array.from(current.bytes) });
      current = undefined;
    }
  }
  return messages;
}

/** Deterministic CIDs 0x00000001, 0x00000002, ... (shared with the fuzzer's generators). */
export { counterRandom };

export const echoApplet = (): CtaphidApplet & { calls: Uint8Array[]; winks: number } => {
  const applet = {
    calls: [] as Uint8Array[],
    winks: 0,
    async process(request: Uint8Array) {
      applet.calls.push(request.slice());
      return request.slice();
    },
    wink() {
      applet.winks++;
    },
  };
  return applet;
};

/** Echoes after `delayMs`. */
export const slowApplet = (delayMs: number): CtaphidApplet & { calls: Uint8Array[] } => {
  const applet = {
    calls: [] as Uint8Array[],
    process(request: Uint8Array) {
      applet.calls.push(request.slice());
      return new Promise<Uint8Array>((resolve) => setTimeout(() => resolve(request.slice()), delayMs));
    },
  };
  return applet;
};

export { INIT_NONCE as NONCE };

/** A device with its output captured as it is sent. */
export class DeviceRig {
  readonly sent: Uint8Array[] = [];
  readonly device: CtaphidDevice;

  constructor(applet: CtaphidApplet, options: Partial<Omit<CtaphidDeviceOptions, 'applet' | 'send'>> = {}) {
    this.device = new CtaphidDevice({ random: counterRandom(), ...options, applet, send: (r) => this.sent.push(r) });
  }

  /** Feed a whole message, fragmented as a correct host would. */
  send(cid: number, command: number, payload: Uint8Array = new Uint8Array(0)): void {
    for (const report of fragmentMessage(cid, command, payload)) this.device.receive(report);
  }

  /** Feed one hand-made report. */
  raw(bytes: ArrayLike<number>, size = 64): void {
    const report = new Uint8Array(size);
    report.set(Array.from(bytes).slice(0, size));
    this.device.receive(report);
  }

  /** Messages sent since the last take(). */
  take(): Message[] {
    return decodeMessages(this.sent.splice(0));
  }

  /** Allocate a channel and forget the INIT exchange. */
  open(): number {
    this.send(BROADCAST_CID, CtaphidCommand.INIT, INIT_NONCE);
    const [response] = this.take();
    return new DataView(response.payload.buffer).getUint32(8);
  }

  close(): void {
    this.device.close();
  }
}

/** The error code of a single ERROR message, for assertions. */
export function errorCode(message: Message | undefined): number | undefined {
  return message?.command === CtaphidCommand.ERROR ? message.payload[0] : undefined;
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Poll until `predicate` holds; throws after `timeoutMs`. */
export async function waitFor(predicate: () => boolean, timeoutMs = 2000): Promise<void> {
  const end = performance.now() + timeoutMs;
  while (!predicate()) {
    if (performance.now() > end) throw new Error(`condition not met within ${timeoutMs} ms`);
    await delay(5);
  }
}

/** A transport driven by a test: `respond` sees each written report and may push reports back. */
export function scriptedTransport(respond: (report: Uint8Array, push: (r: Uint8Array) => void) => void): ReportTransport & { written: Uint8Array[] } {
  const queue = new ReportQueue('scripted');
  const written: Uint8Array[] = [];
  const push = (r: Uint8Array) => setImmediate(() => queue.push(r));
  return {
    name: 'scripted',
    written,
    async write(report) {
      written.push(report);
      respond(report, push);
    },
    read: (timeoutMs) => queue.read(timeoutMs),
    async close() {
      queue.close();
    },
  };
}
