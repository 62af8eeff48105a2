// PROTOCOLS.md "Solo-simulator UDP transport": one datagram is one 64-byte report, no report id.
// A shorter datagram is zero-padded (as a short hidraw write would be); a longer or empty one is refused.

export const UDP_REPORT_SIZE = 64;

export type DatagramResult =
  | { readonly ok: true; readonly report: Uint8Array }
  | { readonly ok: false; readonly reason: 'EMPTY' | 'TOO_LONG'; readonly length: number };

export function reportFromDatagram(datagram: Uint8Array): DatagramResult {
  if (datagram.length === 0) return { ok: false, reason: 'EMPTY', length: 0 };
  if (datagram.length > UDP_REPORT_SIZE) return { ok: false, reason: 'TOO_LONG', length: datagram.length };
  const report = new Uint8Array(UDP_REPORT_SIZE);
  report.set(datagram);
  return { ok: true, report };
}
