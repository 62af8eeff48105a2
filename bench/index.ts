// `npm run bench`: every figure with its same-run reference, in one table.
// Usage: npm run bench [-- --seconds N] [-- --only token,iam,...]
import { parseArgs } from 'node:util';
import { renderTable, writeBenchJson, type BenchRow } from './table.ts';
import { harnessRows } from './harness.ts';
import { iamRows } from './iam.ts';
import { tokenRows } from './token.ts';
import { transportRows } from './transports.ts';

const sections: Record<string, (seconds: number) => Promise<BenchRow[]>> = {
  token: tokenRows,
  transports: transportRows,
  iam: iamRows,
  harness: harnessRows,
};

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '3' }, only: { type: 'string' } } });
const seconds = Number(values.seconds);
const selected = values.only ? values.only.split(',') : Object.keys(sections);
const unknown = selected.filter((name) => !(name in sections));
if (!(seconds > 0) || unknown.length > 0) {
  console.error(`usage: npm run bench -- [--seconds N] [--only ${Object.keys(sections).join(',')}]`);
  process.exit(2);
}

const rows: BenchRow[] = [];
for (const name of selected) {
  process.stderr.write(`measuring ${name}...\n`);
  rows.push(...(await sections[name](seconds)));
}
console.log(renderTable(rows));
console.log(`\nwritten to ${await writeBenchJson(rows, 'reports/bench')}`);
