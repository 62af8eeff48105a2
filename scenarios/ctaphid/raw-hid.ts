// Hand-made CTAPHID traffic for conformance scenarios: write exactly the packets a test needs
// (half messages, wrong sequence numbers, bad channels) and read the device's answer per channel,
// ERROR frames included, as data.
import { randomBytes } from 'node:crypto';
import { BROADCAST_CID, CtaphidCommand, INIT_NONCE_SIZE, errorName } from '../../emulator/ctaphid/constants.ts';
import { MessageAssembler, fragmentMessage, normalizeReport, parsePacket } from '../../emulator/ctaphid/framing.ts';
import { parseInitResponse } from '../../emulator/ctaphid/init-response.ts';
import type { ReportTransport } from '../../harness/transports/report-transport.ts';
import { ExpectationError } from '../../harness/runner/index.ts';

export interface Answer {
  command: number;
  payload: Uint8Array;
  /** Milliseconds from the call to receive() until the answer's first packet. */
  elapsedMs: number;
}

export class RawHid {
  readonly #transport: ReportTransport;
  /** Complete answers read while waiting for another channel's answer. */
  readonly #pending: Array<Answer & { cid: number }> = [];

  constructor(transport: ReportTransport) {
    this.#transport = transport;
  }

  /** Allocate a channel with INIT on the broadcast CID. */
  async allocate(): Promise<number> {
    const nonce = new Uint8Array(randomBytes(INIT_NONCE_SIZE));
    await this.send(BROADCAST_CID, CtaphidCommand.INIT, nonce);
    const answer = await this.receive(BROADCAST_CID);
    const init = answer.command === CtaphidCommand.INIT ? parseInitResponse(answer.payload) : undefined;
    if (!init) throw new ExpectationError('INIT on the broadcast channel', 'an INIT response', describe(answer));
    return init.cid;
  }

  /** Every packet of a message. */
  async send(cid: number, command: number, payload: Uint8Array): Promise<void> {
    for (const report of fragmentMessage(cid, command, payload)) await this.#transport.write(report);
  }

  /** Only the first `count` packets of a message (count 1: the init packet alone). */
  async sendPackets(cid: number, command: number, payload: Uint8Array, packets: number[]): Promise<void> {
    const reports = fragmentMessage(cid, command, payload);
    for (const index of packets) await this.#transport.write(reports[index]);
  }

  async writeReport(report: Uint8Array): Promise<void> {
    await this.#transport.write(report);
  }

  /** The next whole answer on `cid`, skipping KEEPALIVE; answers for other channels are kept. */
  async receive(cid: number, timeoutMs = 1_500): Promise<Answer> {
    const start = performance.now();
    const queued = this.#pending.findIndex((answer) => answer.cid === cid);
    if (queued >= 0) return this.#pending.splice(queued, 1)[0];
    const assemblers = new Map<number, { assembler: MessageAssembler; elapsedMs: number }>();
    for (;;) {
      const remaining = timeoutMs - (performance.now() - start);
      if (remaining <= 0) throw new ExpectationError(`answer on channel ${cid.toString(16)}`, `within ${timeoutMs} ms`, 'nothing');
      const report = normalizeReport(await this.#transport.read(Math.ceil(remaining)));
      if (!report) continue;
      const packet = parsePacket(report);
      let entry = assemblers.get(packet.cid);
      if (packet.type === 'init') {
        if (packet.command === CtaphidCommand.KEEPALIVE) continue;
        entry = { assembler: new MessageAssembler(packet), elapsedMs: performance.now() - start };
        assemblers.set(packet.cid, entry);
      } else if (!entry || entry.assembler.accept(packet) === 'invalid-seq') {
        continue;
      }
      if (!entry.assembler.complete) continue;
      assemblers.delete(packet.cid);
      const answer = { command: entry.assembler.command, payload: entry.assembler.payload, elapsedMs: entry.elapsedMs };
      if (packet.cid === cid) return answer;
      this.#pending.push({ ...answer, cid: packet.cid });
    }
  }

  /** Receive on `cid` and require an ERROR frame with `code`; returns how long it took. */
  async expectError(cid: number, code: number, what: string, timeoutMs?: number): Promise<number> {
    const answer = await this.receive(cid, timeoutMs);
    if (answer.command !== CtaphidCommand.ERROR || answer.payload[0] !== code) {
      throw new ExpectationError(what, errorName(code), describe(answer));
    }
    return answer.elapsedMs;
  }
}

function describe(answer: Answer): string {
  if (answer.command === CtaphidCommand.ERROR) return errorName(answer.payload[0]);
  return `command 0x${answer.command.toString(16)} with ${answer.payload.length} bytes`;
}
