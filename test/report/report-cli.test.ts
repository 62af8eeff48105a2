// `keyloop report` as a user runs it: re-render a run by id, `latest`, directory or file path;
// compare two runs into their own directory; and exit 2 with a clear message on bad input.
// Each call is a child process starting the whole CLI, so the cases share calls where they can.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { access, mkdir, readdir, rm, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { allScenarios } from '../../scenarios/index.ts';
import { selectScenarios } from '../../harness/runner/index.ts';
import { FAULTY_PROFILE, recordRun, temporaryReportsDir } from './support.ts';
import { runKeyloop } from '../support/keyloop-process.ts';

const exists = (path: string) => access(path).then(() => true, () => false);

const reportsDir = await temporaryReportsDir();
const scenarios = selectScenarios(allScenarios, ['u2f.version', 'u2f.register-authenticate', 'ctaphid.init']);
const a = await recordRun({ reportsDir, scenarios, startedAt: new Date('2026-11-28T10:00:00.000Z') });
const b = await recordRun({ reportsDir, scenarios, profilePath: FAULTY_PROFILE, startedAt: new Date('2026-11-28T11:00:00.000Z') });

test.after(() => rm(reportsDir, { recursive: true, force: true }));

test('keyloop report RUN re-renders the run from its report.json; without RUN it takes latest', async () => {
  await unlink(join(a.dir, 'report.html'));
  await unlink(join(a.dir, 'junit.xml'));
  const byId = await runKeyloop('report', a.run.runId, '--reports', reportsDir);
  assert.is(byId.code, 0, byId.stderr);
  assert.match(byId.stdout, `keyloop report: ${a.run.runId}: 3 scenarios: 3 passed, 0 failed`);
  assert.match(byId.stdout, /report\.html \(also report\.md, junit\.xml, report\.json\)/);
  assert.ok(await exists(join(a.dir, 'report.html')));
  assert.ok(await exists(join(a.dir, 'junit.xml')));
  const latest = await runKeyloop('report', '--reports', reportsDir);
  assert.is(latest.code, 0, latest.stderr);
  assert.match(latest.stdout, `keyloop report: ${b.run.runId}: 3 scenarios: 1 passed, 2 failed`);
});

test('keyloop report --compare A B writes compare.html, .md and .json and prints what differs', async () => {
  // A by run id, B by the path of its report.json.
  const { code, stdout, stderr } = await runKeyloop('report', '--compare', a.run.runId, join(b.dir, 'report.json'), '--reports', reportsDir);
  assert.is(code, 0, stderr);
  assert.match(stdout, `A ${a.run.runId} (emulator) vs B ${b.run.runId} (emulator)`);
  assert.match(stdout, /outcomes: 2 differ, 1 agree, 0 only in A, 0 only in B/);
  assert.match(stdout, /fields that differ: 2 of the targets, \d+ in responses/);
  assert.match(stdout, /u2f\.version: A passed, B failed \(ApduError: VERSION: status word 6D00 INS_NOT_SUPPORTED\)/);
  const out = join(reportsDir, `compare-${a.run.runId}-vs-${b.run.runId}`);
  assert.equal((await readdir(out)).sort(), ['compare.html', 'compare.json', 'compare.md']);
  const elsewhere = join(reportsDir, 'side-by-side');
  assert.is((await runKeyloop('report', '--compare', a.dir, b.dir, '--out', elsewhere)).code, 0);
  assert.ok(await exists(join(elsewhere, 'compare.html')));
});

test('bad input exits 2 and says what is wrong: missing run, not JSON, not the schema, wrong arguments', async () => {
  const missing = await runKeyloop('report', 'no-such-run', '--reports', reportsDir);
  assert.is(missing.code, 2);
  assert.match(missing.stderr, `no run 'no-such-run': not a run id under ${reportsDir}/`);

  const broken = join(reportsDir, 'broken');
  await mkdir(broken);
  await writeFile(join(broken, 'report.json'), '{"formatVersion": 1, ');
  const notJson = await runKeyloop('report', '--compare', a.run.runId, 'broken', '--reports', reportsDir);
  assert.is(notJson.code, 2);
  assert.match(notJson.stderr, /broken\/report\.json: not JSON/);

  await writeFile(join(broken, 'report.json'), JSON.stringify({ formatVersion: 1, runId: 'x' }));
  const invalid = await runKeyloop('report', broken);
  assert.is(invalid.code, 2);
  assert.match(invalid.stderr, /does not match schemas\/report\.schema\.json: \/: must have required property 'tool'/);

  const one = await runKeyloop('report', '--compare', a.run.runId, '--reports', reportsDir);
  assert.is(one.code, 2);
  assert.match(one.stderr, /--compare takes two runs, A and B; got 1/);
});

test('keyloop report --help explains re-rendering, comparing and the exit codes', async () => {
  const { code, stdout } = await runKeyloop('report', '--help');
  assert.is(code, 0);
  assert.match(stdout, /--compare/);
  assert.match(stdout, /--out <dir>/);
  assert.match(stdout, /Exit codes: 0 written, 2 a run is missing/);
});

test.run();
