// The benchmark table: every figure next to the reference it is measured against in the same
// run, and their ratio. Printed to the terminal and written to reports/bench/bench.json.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface BenchRow {
  /** What was measured, e.g. `U2F authenticate, in-process`. */
  figure: string;
  value: number;
  unit: string;
  /** What it is compared with, measured in the same run. */
  reference?: string;
  referenceValue?: number;
  /** value / referenceValue (or the inverse where lower is better, as `ratioNote` says). */
  ratio?: number;
  /** The target the issue set, in words (e.g. `>= 0.8`). */
  target?: string;
  /** Whether the target is met; undefined when there is none. */
  met?: boolean;
}

export function compare(figure: string, value: number, unit: string, reference: string, referenceValue: number, target?: { text: string; min: number }): BenchRow {
  const ratio = value / referenceValue;
  return { figure, value, unit, reference, referenceValue, ratio, target: target?.text, met: target ? ratio >= target.min : undefined };
}

function formatNumber(value: number): string {
  if (value >= 100) return Math.round(value).toLocaleString('en-US');
  return value.toFixed(value >= 10 ? 1 : 2);
}

export function renderTable(rows: BenchRow[]): string {
  const cells = rows.map((row) => [
    row.figure,
    `${formatNumber(row.value)} ${row.unit}`,
    row.reference ? `${row.reference}: ${formatNumber(row.referenceValue!)}` : '',
    row.ratio === undefined ? '' : `${row.ratio.toFixed(2)}x`,
    row.target ? `${row.target} ${row.met ? 'met' : 'MISSED'}` : '',
  ]);
  const header = ['figure', 'value', 'reference (same run)', 'ratio', 'target'];
  const widths = header.map((title, i) => Math.max(title.length, ...cells.map((row) => row[i].length)));
  const line = (row: string[]) => row.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

export async function writeBenchJson(rows: BenchRow[], dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, 'bench.json');
  const document = { tool: 'keyloop', measuredAt: new Date().toISOString(), node: process.version, rows };
  await writeFile(path, `${JSON.stringify(document, null, 2)}\n`);
  return path;
}
