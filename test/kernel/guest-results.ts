// The guest's structured results: `KEYLOOP-RESULT {json}` lines on its console (guest/report.sh).
export interface GuestResult {
  readonly check: string;
  /** A plain fact seen in the guest: the command exited 0, the node appeared. */
  readonly ok: boolean;
  readonly fields: Readonly<Record<string, string>>;
}

const MARKER = 'KEYLOOP-RESULT ';

/** Every result line in console order; a line that does not parse becomes a failed `unparsed` check. */
export function parseGuestResults(console: string): GuestResult[] {
  return console
    .split('\n')
    .filter((line) => line.startsWith(MARKER))
    .map((line) => {
      try {
        return JSON.parse(line.slice(MARKER.length)) as GuestResult;
      } catch {
        return { check: 'unparsed', ok: false, fields: { line } };
      }
    });
}

/** The guest printed its last line (`KEYLOOP-DONE`) before powering off. */
export function guestFinished(console: string): boolean {
  return console.split('\n').includes('KEYLOOP-DONE');
}
