// Where each statement of a policy sits in its JSON text, for the StartPosition/EndPosition of
// SimulatePrincipalPolicy's MatchedStatements (IAM API Reference, "Statement" and "Position"
// data types: 1-based line and column). Only called on documents that already parsed as JSON.

export type Position = { Line: number; Column: number };

export type StatementSpan = { StartPosition: Position; EndPosition: Position };

function skipWhitespace(text: string, i: number): number {
  while (i < text.length && /\s/.test(text[i])) i++;
  return i;
}

function skipString(text: string, i: number): number {
  for (i++; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i + 1;
  }
  return i;
}

/** Index just past the JSON value starting at `i`. */
function skipValue(text: string, i: number): number {
  const open = text[i];
  if (open === '"') return skipString(text, i);
  if (open !== '{' && open !== '[') {
    while (i < text.length && !/[\s,\]}]/.test(text[i])) i++;
    return i;
  }
  const close = open === '{' ? '}' : ']';
  i = skipWhitespace(text, i + 1);
  while (i < text.length && text[i] !== close) {
    if (open === '{') {
      i = skipWhitespace(text, skipString(text, i));
      i = skipWhitespace(text, i + 1); // past ':'
    }
    i = skipWhitespace(text, skipValue(text, i));
    if (text[i] === ',') i = skipWhitespace(text, i + 1);
  }
  return i + 1;
}

function position(text: string, offset: number): Position {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (text[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return { Line: line, Column: offset - lineStart + 1 };
}

/** Spans of the statements, in order; `[]` if the text has no top-level Statement. */
export function statementSpans(text: string): StatementSpan[] {
  const spans: Array<[number, number]> = [];
  let i = skipWhitespace(text, 0);
  if (text[i] !== '{') return [];
  i = skipWhitespace(text, i + 1);
  while (i < text.length && text[i] !== '}') {
    const keyEnd = skipString(text, i);
    const key = JSON.parse(text.slice(i, keyEnd)) as string;
    i = skipWhitespace(text, skipWhitespace(text, keyEnd) + 1);
    const valueEnd = skipValue(text, i);
    if (key === 'Statement') {
      if (text[i] === '[') {
        let j = skipWhitespace(text, i + 1);
        while (j < valueEnd - 1) {
          const end = skipValue(text, j);
          spans.push([j, end]);
          j = skipWhitespace(text, end);
          if (text[j] === ',') j = skipWhitespace(text, j + 1);
        }
      } else {
        spans.push([i, valueEnd]);
      }
    }
    i = skipWhitespace(text, valueEnd);
    if (text[i] === ',') i = skipWhitespace(text, i + 1);
  }
  return spans.map(([start, end]) => ({ StartPosition: position(text, start), EndPosition: position(text, end) }));
}
