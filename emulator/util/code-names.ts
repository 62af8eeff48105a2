// Reverse lookup for the spec's `as const` code tables (status words, instructions, CTAPHID
// commands and errors), so logs and reports print the spec's names instead of bare numbers.

/** A function from a code to its constant's name in `table`, or `unknown(code)` for one not in it. */
export function codeNames(table: Readonly<Record<string, number>>, unknown: (code: number) => string): (code: number) => string {
  const names = new Map(Object.entries(table).map(([name, code]) => [code, name]));
  return (code) => names.get(code) ?? unknown(code);
}
