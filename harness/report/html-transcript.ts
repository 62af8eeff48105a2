// A scenario's transcript excerpt in the HTML report: one row per HID report, APDU or HTTP
// message with its decoded fields, and its bytes as a hex dump coloured by field.
import type { DecodedLine } from './decode-transcript.ts';
import type { DecodedField, HexSegment } from './decoded-entry.ts';
import { html, type SafeHtml } from './html-escape.ts';

export interface TranscriptExcerptOptions {
  lines: DecodedLine[];
  /** The transcript file the lines come from, named when rows are left out. */
  file: string;
  /** Rows shown; the rest are counted, with their line numbers. */
  limit: number;
}

/** Bytes of one segment shown before the rest is summarised: a whole HID report fits. */
const SEGMENT_BYTES = 64;
const BODY_CHARS = 2000;

export function transcriptExcerpt({ lines, file, limit }: TranscriptExcerptOptions): SafeHtml {
  const start = lines[0]?.entry.t ?? 0;
  const shown = lines.slice(0, limit);
  const rest = lines.slice(limit);
  return html`<div class="transcript">${shown.map((line) => transcriptRow(line, start))}${rest.length > 0
    ? html`<div class="tx"><span></span><span></span><span></span><span class="more">${rest.length} more lines in ${file}, lines ${rest[0].line}–${rest[rest.length - 1].line}</span></div>`
    : ''}</div>`;
}

function transcriptRow({ line, entry, decoded }: DecodedLine, start: number): SafeHtml {
  const arrow = entry.dir === 'out' ? '→' : '←';
  const direction = entry.dir === 'out' ? 'from the harness' : 'to the harness';
  return html`<div class="tx ${entry.dir} tx-${entry.kind}" data-line="${line}">
<span class="t" title="line ${line}, ${entry.t.toFixed(2)} ms into the run">+${(entry.t - start).toFixed(1)}</span><span class="dir" title="${direction}">${arrow}</span><span class="kind">${entry.kind}</span>
<div><span class="msg">${decoded.message}</span>${decoded.fields.filter((each) => each.name !== 'CMD').map(fieldChip)}${entry.step ? html`<span class="kv"><span class="k">step</span>${entry.step}</span>` : ''}${decoded.problem ? html`<span class="problem">${decoded.problem}</span>` : ''}</div>
${decoded.segments.length > 0 ? html`<div class="hex">${decoded.segments.map(hexSegment)}</div>` : ''}${entry.http?.body ? html`<pre class="body">${shorten(entry.http.body, BODY_CHARS)}</pre>` : ''}
</div>`;
}

function fieldChip(field: DecodedField): SafeHtml {
  const status = field.name === 'SW' ? (field.value.startsWith('9000') ? 'sw-ok' : 'sw-bad') : '';
  return html`<span class="kv ${status}"><span class="k">${field.name}</span><span class="v">${field.value}</span></span>`;
}

function hexSegment({ field, hex }: HexSegment): SafeHtml {
  const className = `seg seg-${field.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  const bytes = hex.match(/../g) ?? [];
  if (field === 'padding' && bytes.every((byte) => byte === '00')) {
    return html`<span class="${className}" title="zero padding">00 ×${bytes.length}</span>`;
  }
  const shown = bytes.slice(0, SEGMENT_BYTES).join(' ');
  const more = bytes.length > SEGMENT_BYTES ? html` <span class="more">… +${bytes.length - SEGMENT_BYTES} bytes</span>` : '';
  return html`<span class="${className}" title="${field}, ${bytes.length} ${bytes.length === 1 ? 'byte' : 'bytes'}">${shown}${more}</span>`;
}

function shorten(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length)}… (${text.length - length} more characters)` : text;
}
