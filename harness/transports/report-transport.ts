// The one contract every host-side transport implements: move 64-byte HID reports.
// Framing (CTAPHID) lives above this; report ids and socket details live below it.

/** Size of a FIDO HID report on the wire, without the hidraw report-id byte. */
export const REPORT_SIZE = 64;

export interface ReportTransport {
  /** Human-readable name for logs and reports, e.g. `emulator`, `udp://127.0.0.1:8111`. */
  readonly name: string;
  /** Send one report; shorter input is zero-padded, longer input is an error. */
  write(report: Uint8Array): Promise<void>;
  /** Next report from the device; rejects with TransportTimeoutError after `timeoutMs`. */
  read(timeoutMs: number): Promise<Uint8Array>;
  /** Release the device; pending reads reject with TransportClosedError. */
  close(): Promise<void>;
}

export class TransportTimeoutError extends Error {
  override readonly name = 'TransportTimeoutError';
  constructor(transport: string, timeoutMs: number) {
    super(`${transport}: no report within ${timeoutMs} ms`);
  }
}

export class TransportClosedError extends Error {
  override readonly name = 'TransportClosedError';
  constructor(transport: string) {
    super(`${transport}: transport closed`);
  }
}

/** Zero-pad a report to REPORT_SIZE; throw if it is longer. */
export function padReport(report: Uint8Array): Uint8Array {
  if (report.length > REPORT_SIZE) {
    throw new RangeError(`report too long: expected at most ${REPORT_SIZE} bytes, got ${report.length}`);
  }
  if (report.length === REPORT_SIZE) return report;
  const padded = new Uint8Array(REPORT_SIZE);
  padded.set(report);
  return padded;
}
