// One line of transcript.jsonl, the recorder's log of a run's wire traffic, written beside
// report.json. The HTML report decodes these lines into fields; comparisons line them up.
// Defined here, on the reading side, so that writer and readers share one type.

/** Name of the transcript file in a run directory. */
export const TRANSCRIPT_FILE = 'transcript.jsonl';

export type TranscriptKind = 'hid' | 'apdu' | 'http';

export interface TranscriptEntry {
  /** Milliseconds since the run started (fractions allowed). */
  t: number;
  /** Id of the scenario that caused the exchange (`u2f.version`). */
  scenario: string;
  /** The layer recorded: a 64-byte HID report, a U2F command or response APDU, or an HTTP message. */
  kind: TranscriptKind;
  /** `out`: from the harness (host to token, client to server); `in`: back to the harness. */
  dir: 'out' | 'in';
  /** The bytes as lowercase hex without separators: the whole HID report, or the whole APDU (response: data then SW1 SW2). */
  hex?: string;
  /** One line for people: describeReport() for HID, `VERSION` or `6D00 INS_NOT_SUPPORTED` for APDUs, `POST / ListMFADevices` or `200 OK` for HTTP. */
  summary: string;
  /** The scenario step running at the time, if any. */
  step?: string;
  /** Which transport handle or HTTP client carried it (`emulator#3`). */
  channel?: string;
  /** HTTP messages only. */
  http?: TranscriptHttp;
}

export interface TranscriptHttp {
  /** Requests: method and URL. */
  method?: string;
  url?: string;
  /** Responses: status code. */
  status?: number;
  headers?: Record<string, string>;
  /** The body as text, possibly shortened by the recorder. */
  body?: string;
}
