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

/** Bytes of a segment shown in full (a whole HID report fits); longer ones show their first SEGMENT_HEAD. */
const SEGMENT_BYTES = 80;
const SEGMENT_HEAD = 48;
const BODY_CHARS = 2000;

/** The hex dump's colours, for the fields that occur in `lines`. */
const LEGEND = ['CID', 'CMD', 'BCNT', 'SEQ', 'CLA', 'INS', 'Lc', 'SW', 'padding'];

export function transcriptExcerpt({ lines, file, limit }: TranscriptExcerptOptions): SafeHtml {
  const start = lines[0]?.entry.t ?? 0;
  const shown = lines.slice(0, limit);
  const rest = lines.slice(limit);
  const present = new Set(shown.flatMap((line) => line.decoded.segments.map((segment) => segment.field)));
  const legend = LEGEND.filter((field) => present.has(field));
  return html`${legend.length > 0 ? html`<div class="legend">bytes:${legend.map((field) => html`<span class="seg ${segmentClass(field)}">${field}</span>`)}<span>others plain; hover a byte run for its field</span></div>` : ''}<div class="transcript">${shown.map((line) => transcriptRow(line, start))}${rest.length > 0
    ? html`<div class="tx"><span></span><span></span><span></span><span class="more">${rest.length} more lines in ${file}, lines ${rest[0].line}–${rest[rest.length - 1].line}</span></div>`
    : ''}</div>`;
}

function transcriptRow({ line, entry, decoded }: DecodedLine, start: number): SafeHtml {
  const arrow = entry.dir === 'out' ? '→' : '←';
  const direction = entry.dir === 'out' ? 'from the harness' : 'to the harness';
  return html`<div class="tx ${entry.dir} tx-${entry.kind}" data-line="${line}">
<span class="t" title="line ${line}, ${entry.t.toFixed(2)} ms into the run">+${(entry.t - start).toFixed(1)}</span><span class="dir" title="${direction}">${arrow}</span><span class="kind">${entry.kind}</span>
<div class="head"><span class="msg">${decoded.message}</span>${decoded.fields.filter((each) => !repeatsMessage(each, decoded.message)).map(fieldChip)}${entry.step ? html`<span class="kv"><span class="k">step</span>${entry.step}</span>` : ''}${decoded.problem ? html`<span class="problem">${decoded.problem}</span>` : ''}</div>
${decoded.segments.length > 0 ? html`<div class="hex">${decoded.segments.map(hexSegment)}</div>` : ''}${entry.http?.body ? html`<pre class="body">${shorten(entry.http.body, BODY_CHARS)}</pre>` : ''}
</div>`;
}

/** A field the message already names, as CMD in `INIT`, INS in `VERSION` or the status in `200 GetUser`. */
function repeatsMessage(field: DecodedField, message: string): boolean {
  return message.split(' ')[0] === field.value;
}

function fieldChip(field: DecodedField): SafeHtml {
  const status = field.name === 'SW' ? (field.value.startsWith('9000') ? ' sw-ok' : ' sw-bad') : '';
  return html`<span class="kv${status}"><span class="k">${field.name}</span><span class="v">${field.value}</span></span>`;
}

function segmentClass(field: string): string {
  return `seg-${field.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
}

function hexSegment({ field, hex }: HexSegment): SafeHtml {
  const className = `seg ${segmentClass(field)}`;
  const bytes = hex.match(/../g) ?? [];
  if (field === 'padding' && bytes.every((byte) => byte === '00')) {
    return html`<span class="${className}" title="zero padding">00 ×${bytes.length}</span>`;
  }
  const cut = bytes.length > SEGMENT_BYTES;
  const shown = (cut ? bytes.slice(0, SEGMENT_HEAD) : bytes).join(' ');
  const more = cut ? html` <span class="more">… +${bytes.length - SEGMENT_HEAD} bytes</span>` : '';
  return html`<span class="${className}" title="${field}, ${bytes.length} ${bytes.length === 1 ? 'byte' : 'bytes'}">${shown}${more}</span>`;
}

function shorten(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length)}… (${text.length - length} more characters)` : text;
}
