// `npm run fuzz`: feeds generated and mutated inputs to every input surface (fuzz/targets/) and
// checks that nothing crashes, hangs, grows without bound, answers outside its protocol or
// changes state on a rejected request.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadFuzzTargets } from './load-targets.ts';
import { mib, runFuzzTarget, type FuzzResult } from './fuzz-run.ts';

const usage = `usage: npm run fuzz -- [options]

  (no options)        open-ended: every target in turn, ${60} s each with fresh seeds, until Ctrl-C
  --seconds N         one round, N seconds per target, then exit
  --seed S            one round from that seed: the same inputs each time (CI runs
                      --seconds 60 --seed 1, and npm test each target for 2 s from seed 1)
  --only a,b          these targets only (see --list)
  --seed S --path P   replay one finding (both are printed with it), with --only its target
  --list              the targets and their surfaces
Exit status: 0 no finding, 1 a finding (written to reports/fuzz/findings/), 2 bad usage.`;

const SLICE_SECONDS = 60;
const reportDir = 'reports/fuzz';

const flags = {
  options: {
    seconds: { type: 'string' },
    only: { type: 'string' },
    seed: { type: 'string' },
    path: { type: 'string' },
    list: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
} as const;
const fail = (message: string): never => {
  console.error(`${message}\n\n${usage}`);
  process.exit(2);
};
function parseFlags() {
  try {
    return parseArgs(flags).values;
  } catch (error) {
    return fail((error as Error).message);
  }
}
const values = parseFlags();
if (values.help) {
  console.log(usage);
  process.exit(0);
}

const all = await loadFuzzTargets();
if (values.list) {
  for (const target of all) console.log(`${target.name.padEnd(22)} ${target.surface}`);
  process.exit(0);
}
const names = values.only ? values.only.split(',') : all.map((target) => target.name);
const unknown = names.filter((name) => !all.some((target) => target.name === name));
if (unknown.length > 0) fail(`unknown target: ${unknown.join(', ')} (known: ${all.map((t) => t.name).join(', ')})`);
const targets = all.filter((target) => names.includes(target.name));
const seconds = values.seconds === undefined ? undefined : Number(values.seconds);
if (seconds !== undefined && !(seconds > 0)) fail(`--seconds must be a positive number, not ${values.seconds}`);
const seed = values.seed === undefined ? undefined : Number(values.seed);
if (seed !== undefined && !Number.isInteger(seed)) fail(`--seed must be an integer, not ${values.seed}`);
if (values.path !== undefined && (seed === undefined || targets.length !== 1)) fail('--path replays one finding: give --seed and one target with --only');

const results: FuzzResult[] = [];
process.on('SIGINT', async () => {
  console.log(`\ninterrupted; ${results.length} completed run(s) are in ${await writeSummary()}`);
  process.exit(130);
});

let round = 0;
do {
  round += 1;
  for (const target of targets) {
    const result = await runFuzzTarget(target, { seconds: seconds ?? SLICE_SECONDS, seed, path: values.path });
    results.push(result);
    console.log(describe(result));
    if (result.finding) console.log(await writeFinding(result));
    await writeSummary();
  }
} while (seconds === undefined && seed === undefined);

console.log(`\n${round} round(s), ${results.length} run(s), ${results.filter((r) => r.finding).length} finding(s); summary in ${join(reportDir, 'fuzz.json')}`);
process.exit(results.some((r) => r.finding) ? 1 : 0);

function describe(result: FuzzResult): string {
  const top = Object.entries(result.outcomes)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 6)
    .map(([label, count]) => `${label} ${count}`)
    .join(', ');
  const heap = result.heapAtEnd ? `heap ${mib(result.heapAfterWarmUp)} -> ${mib(result.heapAtEnd)}` : 'replay';
  const verdict = result.finding ? 'FINDING' : 'ok';
  return `${verdict.padEnd(7)} ${result.target.padEnd(22)} ${String(result.runs).padStart(7)} inputs ${Math.round(result.runsPerSecond).toString().padStart(6)}/s  ${heap}\n        outcomes: ${top}`;
}

async function writeFinding(result: FuzzResult): Promise<string> {
  const finding = result.finding!;
  const dir = join(reportDir, 'findings');
  await mkdir(dir, { recursive: true });
  const file = join(dir, `${result.target}-${finding.seed}.json`);
  await writeFile(file, `${JSON.stringify({ target: result.target, ...finding }, null, 2)}\n`);
  const replay = finding.path ? `\n        replay: npm run fuzz -- --only ${result.target} --seed=${finding.seed} --path ${finding.path}` : '';
  return `        ${finding.error.split('\n')[0]}\n        input: ${finding.input.slice(0, 400)}${replay}\n        written to ${file}`;
}

async function writeSummary(): Promise<string> {
  await mkdir(reportDir, { recursive: true });
  const file = join(reportDir, 'fuzz.json');
  await writeFile(file, `${JSON.stringify({ tool: 'keyloop', node: process.version, results }, null, 2)}\n`);
  return file;
}
