// writeRunReport, as `keyloop run` calls it: four files in reports/<run-id>/, reports/latest
// swapped to the newest run without leaving temporary links, and re-rendering from report.json
// giving back the same files.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdir, readFile, readlink, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { readReport } from '../../harness/report/read-report.ts';
import { writeReportFiles } from '../../harness/report/write-report-files.ts';
import { recordRun, temporaryReportsDir } from './support.ts';
import { allScenarios } from '../../scenarios/index.ts';
import { selectScenarios } from '../../harness/runner/index.ts';

const FILES = ['junit.xml', 'report.html', 'report.json', 'report.md', 'transcript.jsonl'];

test('every run writes report.json, junit.xml, report.md and report.html, and reports/latest points at the newest', async () => {
  const reportsDir = await temporaryReportsDir();
  try {
    const scenarios = selectScenarios(allScenarios, ['u2f.version', 'ctaphid.init']);
    const first = await recordRun({ reportsDir, scenarios, startedAt: new Date('2026-11-28T10:00:00.000Z') });
    assert.equal((await readdir(first.dir)).sort(), FILES);
    assert.is(await readlink(join(reportsDir, 'latest')), first.run.runId);
    const second = await recordRun({ reportsDir, scenarios, startedAt: new Date('2026-11-28T11:00:00.000Z') });
    assert.is.not(second.run.runId, first.run.runId);
    assert.is(await readlink(join(reportsDir, 'latest')), second.run.runId);
    assert.equal((await readdir(reportsDir)).sort(), [first.run.runId, second.run.runId, 'latest'].sort());
  } finally {
    await rm(reportsDir, { recursive: true, force: true });
  }
});

test("re-rendering from report.json reproduces the run's files byte for byte", async () => {
  const reportsDir = await temporaryReportsDir();
  try {
    const { dir } = await recordRun({ reportsDir, scenarios: selectScenarios(allScenarios, ['u2f.version', 'u2f.register-authenticate']) });
    const before = await Promise.all(FILES.map((file) => readFile(join(dir, file), 'utf8')));
    await writeReportFiles({ dir, report: await readReport(join(dir, 'report.json')) });
    const after = await Promise.all(FILES.map((file) => readFile(join(dir, file), 'utf8')));
    FILES.forEach((file, index) => assert.ok(after[index] === before[index], `${file} changed`));
  } finally {
    await rm(reportsDir, { recursive: true, force: true });
  }
});

test.run();
