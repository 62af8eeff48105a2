// Run versus run on two real runs: the default emulator (A) against the faulty profile (B),
// standing in for an emulator and a physical key that disagree. Outcomes, target fields,
// responses field by field from the transcripts, timing ratios, and what only one run has.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { rm } from 'node:fs/promises';
import { allScenarios } from '../../scenarios/index.ts';
import { selectScenarios } from '../../harness/runner/index.ts';
import { compareRuns } from '../../harness/report/compare.ts';
import { escapeHtml } from '../../harness/report/html-escape.ts';
import { loadRun } from '../../harness/report/load-run.ts';
import { renderComparisonHtml } from '../../harness/report/render-compare-html.ts';
import { renderComparisonMarkdown } from '../../harness/report/render-compare-markdown.ts';
import { BROKEN_SCENARIO, FAULTY_PROFILE, recordRun, SELECTION, temporaryReportsDir } from './support.ts';

const reportsDir = await temporaryReportsDir();
const selected = selectScenarios(allScenarios, SELECTION);
const runA = await recordRun({ reportsDir, scenarios: [...selected, ...selectScenarios(allScenarios, ['ctaphid.ping'])], startedAt: new Date('2026-11-28T10:00:00.000Z') });
const runB = await recordRun({ reportsDir, profilePath: FAULTY_PROFILE, scenarios: [...selected, BROKEN_SCENARIO], startedAt: new Date('2026-11-28T11:00:00.000Z') });
const a = await loadRun({ run: runA.run.runId, reportsDir });
const b = await loadRun({ run: runB.run.runId, reportsDir });
const comparison = compareRuns({ a, b });

test.after(() => rm(reportsDir, { recursive: true, force: true }));

test('scenarios whose outcomes differ, agree, or ran in one run only', () => {
  const status = Object.fromEntries(comparison.scenarios.map((pair) => [pair.id, pair.status]));
  assert.is(status['u2f.version'], 'differs');
  assert.is(status['u2f.register-authenticate'], 'differs');
  assert.is(status['ctaphid.init'], 'same');
  assert.is(status['ctaphid.ping'], 'only-a');
  assert.is(status['u2f.harness-bug'], 'only-b');
  assert.equal(comparison.summary, {
    differing: 6, same: 4, onlyInA: 1, onlyInB: 1, differingTargetFields: 2, differingResponseFields: comparison.responses.length,
  });
  const version = comparison.scenarios.find((pair) => pair.id === 'u2f.version')!;
  assert.is(version.a?.outcome, 'pass');
  assert.match(version.b?.reason ?? '', /6D00 INS_NOT_SUPPORTED/);
});

test('target fields side by side: the product string and serial number differ, the rest match', () => {
  assert.equal(comparison.targets.filter((row) => !row.same).map((row) => [row.field, row.a, row.b]), [
    ['product', 'keyloop virtual U2F key', 'keyloop faulty U2F key'],
    ['serial number', 'KL0000000001', 'KLFAULTY0001'],
  ]);
  assert.ok(comparison.targets.some((row) => row.field === 'capabilities' && row.same && row.a === 'WINK'));
});

test('responses that differ field by field, from both transcripts: the status word of VERSION', () => {
  const version = comparison.responses.filter((row) => row.scenario === 'u2f.version');
  assert.equal(version, [
    { scenario: 'u2f.version', message: 'APDU ← 1 (VERSION response)', field: 'SW', a: '9000 NO_ERROR', b: '6D00 INS_NOT_SUPPORTED' },
    { scenario: 'u2f.version', message: 'APDU ← 1 (VERSION response)', field: 'version', a: 'U2F_V2' },
  ]);
  // Passing scenarios on both sides differ only in what varies by nature (CIDs, nonces, signatures).
  assert.equal(comparison.responses.filter((row) => row.scenario === 'ctaphid.init'), []);
  assert.ok(comparison.a.transcript && comparison.b.transcript);
});

test('timing ratios are B over A, per scenario and per step, largest change first', () => {
  const { timing } = comparison;
  assert.ok(timing.length > 0);
  for (const row of timing) assert.ok(Math.abs(row.ratio - row.bMs / row.aMs) < 0.001, JSON.stringify(row));
  const change = (ratio: number) => Math.abs(Math.log(ratio));
  assert.ok(timing.every((row, index) => index === 0 || change(timing[index - 1].ratio) >= change(row.ratio)));
  assert.not.ok(timing.some((row) => row.scenario === 'ctaphid.ping' || row.scenario === 'u2f.harness-bug'));
});

test('compare.md and compare.html carry the differing scenarios with both reasons, and the differing fields', () => {
  const markdown = renderComparisonMarkdown({ comparison });
  const page = renderComparisonHtml({ comparison });
  for (const pair of comparison.scenarios.filter((each) => each.status === 'differs')) {
    assert.ok(markdown.includes(pair.b!.reason!), pair.id);
    assert.ok(page.includes(escapeHtml(pair.b!.reason!)), pair.id);
  }
  assert.match(markdown, /\| `u2f\.version` \| APDU ← 1 \(VERSION response\) \| SW \| `9000 NO_ERROR` \| `6D00 INS_NOT_SUPPORTED` \|/);
  assert.match(markdown, /\| serial number \| `KL0000000001` \| `KLFAULTY0001` \| \*\*differs\*\* \|/);
  assert.match(markdown, /## Only in A \(1\)\n\n- `ctaphid\.ping`/);
  assert.match(markdown, /## Only in B \(1\)\n\n- `u2f\.harness-bug`/);
  assert.match(page, /<span class="verdict fail">DIFFERENT<\/span>/);
  assert.ok(page.includes('id="pair-u2f.version"'));
});

test('without transcripts the responses are not compared, and the reports say so', () => {
  const bare = compareRuns({ a: { ...a, transcripts: new Map() }, b });
  assert.equal(bare.responses, []);
  assert.is(bare.a.transcript, false);
  assert.match(renderComparisonMarkdown({ comparison: bare }), /Not compared: both runs need a transcript/);
  assert.match(renderComparisonHtml({ comparison: bare }), /Not compared: run A has no transcript/);
});

test.run();
