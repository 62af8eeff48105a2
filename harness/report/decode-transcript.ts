// Decodes a run of transcript lines in order: HID reports and APDUs into fields and hex
// segments, HTTP messages into method, URL and status. Order matters: a continuation packet
// needs the BCNT of its init packet, a response APDU the instruction it answers.
import { decodeHidReport, type PendingBytes } from './decode-hid.ts';
import { decodeCommandApdu, decodeResponseApdu } from './decode-apdu.ts';
import { field, type DecodedEntry } from './decoded-entry.ts';
import type { TranscriptLine } from './read-transcript.ts';
import type { TranscriptEntry } from './transcript-format.ts';

export interface DecodedLine extends TranscriptLine {
  decoded: DecodedEntry;
}

export function decodeTranscript(lines: TranscriptLine[]): DecodedLine[] {
  const pendingByChannel = new Map<string, PendingBytes>();
  const requestByChannel = new Map<string, number>();
  return lines.map((line) => {
    const { entry } = line;
    const channel = entry.channel ?? '';
    const bytes = Uint8Array.from(Buffer.from(entry.hex ?? '', 'hex'));
    let decoded: DecodedEntry;
    if (entry.kind === 'http') {
      decoded = decodeHttp(entry);
    } else if (entry.hex === undefined) {
      decoded = { message: entry.summary, fields: [], segments: [] };
    } else if (entry.kind === 'hid') {
      if (!pendingByChannel.has(channel)) pendingByChannel.set(channel, new Map());
      decoded = decodeHidReport(bytes, entry.dir, pendingByChannel.get(channel)!);
    } else if (entry.dir === 'out') {
      decoded = decodeCommandApdu(bytes);
      if (bytes.length >= 2) requestByChannel.set(channel, bytes[1]);
    } else {
      decoded = decodeResponseApdu(bytes, requestByChannel.get(channel));
    }
    return { ...line, decoded };
  });
}

function decodeHttp(entry: TranscriptEntry): DecodedEntry {
  const { method, url, status } = entry.http ?? {};
  const fields = [
    ...(method ? [field('method', method, true)] : []),
    ...(url ? [field('URL', url, false)] : []),
    ...(status !== undefined ? [field('status', status, true)] : []),
  ];
  return { message: entry.summary || method || (status !== undefined ? String(status) : 'HTTP'), fields, segments: [] };
}
