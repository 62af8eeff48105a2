// Putting arbitrary text into Markdown safely: device strings and failure messages may hold
// pipes, backticks or HTML, which must print as themselves and not break tables or the page.

/** Text in a paragraph or table cell: Markdown and HTML punctuation escaped, on one line. */
export function mdText(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/[\\`*_{}[\]<>|#~!]/g, '\\$&');
}

export interface MdCodeOptions {
  /** In a table cell, where GFM needs `|` escaped even inside code. */
  inTable?: boolean;
}

/** An inline code span whose fence is longer than any backtick run inside. */
export function mdCode(text: string, { inTable = false }: MdCodeOptions = {}): string {
  const oneLine = text.replace(/\r?\n/g, ' ');
  const line = inTable ? oneLine.replace(/\|/g, '\\|') : oneLine;
  const fence = '`'.repeat(longestRun(line, '`') + 1);
  const pad = line.startsWith('`') || line.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${line}${pad}${fence}`;
}

/** A fenced code block that no backtick run inside can close. */
export function mdBlock(text: string): string {
  const fence = '`'.repeat(Math.max(3, longestRun(text, '`') + 1));
  return `${fence}\n${text}\n${fence}`;
}

export function mdTable(headers: string[], rows: string[][]): string {
  return [`| ${headers.join(' | ')} |`, `| ${headers.map(() => '---').join(' | ')} |`, ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n');
}

function longestRun(text: string, char: string): number {
  let longest = 0;
  let run = 0;
  for (const each of text) {
    run = each === char ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  return longest;
}
