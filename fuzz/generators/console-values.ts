// Text a fuzzer types into the console: markup that must come back escaped, Unicode and control
// characters, boundary numbers, sizes around the body limits, and edits of a valid value. Markup
// probes carry a marker; a page that shows one of `RAW_MARKUP` verbatim did not escape it.
import fc from 'fast-check';

const MARKER = 'klfz';

/** Markup probes: each breaks out of text or of a quoted attribute if it is not escaped. */
const MARKUP_PROBES = [
  `<script>${MARKER}()</script>`,
  `"><script>${MARKER}()</script>`,
  `'><img src=x ${MARKER}=1>`,
  `x" ${MARKER}="1`,
  `x' ${MARKER}='1`,
  `</textarea></title><script>${MARKER}()</script>`,
  `<!--<script>${MARKER}-->`,
] as const;

/**
 * What only an unescaped probe puts in a page: every probe's markup starts at `<`, `"` or `'`,
 * which the console writes as entities. A page may show the marker itself, never these.
 */
const RAW_MARKUP = [`<script>${MARKER}`, `<img src=x ${MARKER}`, `" ${MARKER}="`, `' ${MARKER}='`] as const;

/** The first RAW_MARKUP piece found verbatim in `text`. */
export const unescapedMarkup = (text: string): string | undefined => RAW_MARKUP.find((piece) => text.includes(piece));

const CONTROL = ['\u0000', '\u0001', '\t', '\n', '\r\n', '\u000b', '\u001b', '\u007f', '\u0085', '\u2028', '\u202e', '\ufeff', '\ud800', '\udfff'];

const BOUNDARIES = ['', ' ', '0', '-1', '000000', '999999', '1e309', 'NaN', 'null', 'undefined', 'true', '[]', '{}', '4294967296', '18446744073709551616', '0x7fffffff'];

/** Names and values that mean something to IAM or to a URL. */
const SPECIAL = ['..', '../', '%2e%2e', '%00', '__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'arn:aws:iam::aws:policy/AdministratorAccess', '*', '?', '#', '&', '=', '+', '%', '%zz', ';'];

/** Around the console's body limits: 256 KiB for forms, 64 KiB for JSON, 16 KiB per WebAuthn member. */
const SIZES = [64, 1024, 16 * 1024 + 1, 64 * 1024 + 1, 200 * 1024, 256 * 1024 + 1];

export const controlCharacter = fc.constantFrom(...CONTROL);

const hugeText = fc.tuple(fc.constantFrom(...SIZES), fc.constantFrom('A', 'é', '<', '%', '&a=')).map(([size, unit]) => unit.repeat(Math.ceil(size / unit.length)));

/** Free text of every kind, weighted towards what breaks parsers and templates. */
export const anyText: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...MARKUP_PROBES), weight: 4 },
  { arbitrary: fc.constantFrom(...BOUNDARIES, ...SPECIAL), weight: 3 },
  { arbitrary: fc.string({ maxLength: 40 }), weight: 2 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }), weight: 2 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 20 }), weight: 1 },
  { arbitrary: fc.array(controlCharacter, { minLength: 1, maxLength: 4 }).map((chars) => chars.join('')), weight: 1 },
  { arbitrary: hugeText, weight: 1 },
);

/** An edit of a valid value, applied when the input runs (the value is known only then). */
export type TextEdit =
  | { op: 'truncate'; keep: number }
  | { op: 'append'; text: string }
  | { op: 'prepend'; text: string }
  | { op: 'replace-char'; at: number; char: string }
  | { op: 'flip-case' }
  | { op: 'repeat'; times: number };

export const textEdit: fc.Arbitrary<TextEdit> = fc.oneof(
  fc.record({ op: fc.constant('truncate' as const), keep: fc.nat({ max: 64 }) }),
  fc.record({ op: fc.constant('append' as const), text: fc.oneof(anyText, controlCharacter) }),
  fc.record({ op: fc.constant('prepend' as const), text: fc.oneof(controlCharacter, fc.constantFrom(' ', '0', '\ufeff')) }),
  fc.record({ op: fc.constant('replace-char' as const), at: fc.nat({ max: 64 }), char: fc.oneof(fc.string({ minLength: 1, maxLength: 1 }), controlCharacter) }),
  fc.constant({ op: 'flip-case' as const }),
  fc.record({ op: fc.constant('repeat' as const), times: fc.constantFrom(2, 3, 1000) }),
);

export function applyTextEdit(value: string, edit: TextEdit): string {
  switch (edit.op) {
    case 'truncate':
      return value.slice(0, Math.min(edit.keep, Math.max(value.length - 1, 0)));
    case 'append':
      return value + edit.text;
    case 'prepend':
      return edit.text + value;
    case 'replace-char': {
      if (value.length === 0) return edit.char;
      const at = edit.at % value.length;
      return value.slice(0, at) + edit.char + value.slice(at + 1);
    }
    case 'flip-case':
      return [...value].map((char) => (char === char.toUpperCase() ? char.toLowerCase() : char.toUpperCase())).join('');
    case 'repeat':
      return value.repeat(edit.times);
  }
}
