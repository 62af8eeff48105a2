// A read-only hook on every CTAPHID report (STYLE 11): feeds transcripts and logs, never behaviour.
import { describeReport } from './framing.ts';

export interface ReportEvent {
  /** USB naming: `out` is host to device (interrupt OUT), `in` is device to host (interrupt IN). */
  readonly direction: 'in' | 'out';
  /** A copy of the report, so a listener cannot alter what is sent or processed. */
  readonly report: Uint8Array;
  /** One-line decoding, e.g. `MSG cid=0x0a0b0c0d bcnt=73` (see describeReport). */
  readonly summary: string;
}

export type ReportListener = (event: ReportEvent) => void;

/** Tell the listener, if any; a throwing listener is ignored so that it cannot change the protocol. */
export function emitReport(listener: ReportListener | undefined, direction: ReportEvent['direction'], report: Uint8Array): void {
  if (!listener) return;
  try {
    listener({ direction, report: report.slice(), summary: describeReport(report) });
  } catch {
    // Hooks observe; a bug in one must not break the device or the client.
  }
}
