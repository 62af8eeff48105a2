// The report model built from real runs: totals per suite and category, the device under test
// with its attestation fingerprint, host and tool facts, and report.json valid against the
// published schema, which in turn rejects what the format does not allow.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { allScenarios } from '../../scenarios/index.ts';
import { selectScenarios } from '../../harness/runner/index.ts';
import { readReport, ReportInputError, reportSchemaErrors } from '../../harness/report/read-report.ts';
import type { Report } from '../../harness/report/model.ts';
import { BROKEN_SCENARIO, FAULTY_PROFILE, recordRun, SELECTION, temporaryReportsDir } from './support.ts';

const reportsDir = await temporaryReportsDir();
const scenarios = [...selectScenarios(allScenarios, SELECTION), BROKEN_SCENARIO];
const failing = await recordRun({ reportsDir, profilePath: FAULTY_PROFILE, scenarios, withhold: ['restart'] });
const report = JSON.parse(await readFile(join(failing.dir, 'report.json'), 'utf8')) as Report;

test.after(() => rm(reportsDir, { recursive: true, force: true }));

test('report.json of a real run validates against schemas/report.schema.json', async () => {
  assert.equal(await reportSchemaErrors(report), []);
  assert.is(report.formatVersion, 1);
  assert.is(report.runId, failing.run.runId);
});

test('every outcome is represented and counted: pass, fail, skip with its reason, error', () => {
  const byId = new Map(report.scenarios.map((scenario) => [scenario.id, scenario]));
  assert.is(byId.get('u2f.version')?.outcome, 'fail');
  assert.match(byId.get('u2f.version')?.reason ?? '', /6D00 INS_NOT_SUPPORTED/);
  assert.is(byId.get('u2f.counter-across-restart')?.outcome, 'skip');
  assert.is(byId.get('u2f.counter-across-restart')?.reason, 'target emulator lacks restart');
  assert.is(byId.get('u2f.harness-bug')?.outcome, 'error');
  assert.is(byId.get('ctaphid.init')?.outcome, 'pass');
  assert.equal(report.totals, { total: 11, pass: 4, fail: 5, skip: 1, error: 1 });
});

test('totals per suite (first id segment) and per tag, the suite name not repeated as a tag', () => {
  assert.equal(report.suites.map((suite) => [suite.name, suite.totals.total, suite.totals.fail]), [['u2f', 9, 5], ['ctaphid', 2, 0]]);
  const names = report.categories.map((category) => category.name);
  assert.equal(names, [...names].sort());
  assert.not.ok(names.includes('u2f'));
  assert.not.ok(names.includes('ctaphid'));
  const negative = report.categories.find((category) => category.name === 'negative')!;
  const expected = report.scenarios.filter((scenario) => scenario.tags.includes('negative'));
  assert.is(negative.totals.total, expected.length);
  assert.is(negative.totals.pass, expected.filter((scenario) => scenario.outcome === 'pass').length);
});

test('scenarios keep steps with timings, observations, expected versus actual and transcript lines', () => {
  const registration = report.scenarios.find((scenario) => scenario.id === 'u2f.register-authenticate')!;
  assert.equal(registration.steps.map((step) => step.name), ['REGISTER', 'AUTHENTICATE']);
  // Rounded to hundredths of a millisecond.
  assert.ok(registration.steps.every((step) => step.durationMs > 0 && Math.abs(step.durationMs * 100 - Math.round(step.durationMs * 100)) < 1e-6));
  assert.is(registration.expected, 'true');
  assert.is(registration.actual, 'false');
  assert.match(registration.observations[0], /key handle \d+ bytes/);
  assert.is(registration.transcript?.file, 'transcript.jsonl');
  assert.ok(registration.transcript!.to > registration.transcript!.from);
});

test('the device under test: ids, strings, version, capability flags, attestation subject and SHA-256', async () => {
  const token = report.targets.token;
  assert.is(token.vendorId, 0x1209);
  assert.is(token.serialNumber, 'KLFAULTY0001');
  assert.is(token.deviceVersion, '1.0.0');
  assert.equal(token.capabilityFlags, ['WINK']);
  const der = new X509Certificate(await readFile('fixtures/attestation/default.cert.pem')).raw;
  const digest = createHash('sha256').update(der).digest('hex').toUpperCase().match(/../g)!.join(':');
  assert.is(token.attestationFingerprint, digest);
  assert.match(token.attestationSubject ?? '', /CN=keyloop U2F attestation/);
});

test('host and tool facts: hostname, platform, node, package version and git commit', async () => {
  assert.ok(report.host.hostname.length > 0);
  assert.match(report.host.platform, process.platform);
  const manifest = JSON.parse(await readFile('package.json', 'utf8')) as { version: string };
  assert.is(report.tool.version, manifest.version);
  assert.is(report.host.node, process.version);
  // Others commit to this checkout while tests run: the commit must be one of this repository's.
  assert.match(report.tool.commit ?? '', /^[0-9a-f]{7,}$/);
  const type = execFileSync('git', ['cat-file', '-t', report.tool.commit!], { encoding: 'utf8' }).trim();
  assert.is(type, 'commit');
});

test('the schema rejects what format version 1 does not allow', async () => {
  const failed = report.scenarios.findIndex((scenario) => scenario.outcome === 'fail');
  const broken = (change: (copy: Report) => void) => {
    const copy = structuredClone(report);
    change(copy);
    return reportSchemaErrors(copy);
  };
  assert.match((await broken((copy) => { delete copy.scenarios[failed].reason; })).join(), `/scenarios/${failed}: must have required property 'reason'`);
  assert.match((await broken((copy) => { (copy.scenarios[0] as { outcome: string }).outcome = 'flaky'; })).join(), '/scenarios/0/outcome');
  assert.match((await broken((copy) => { (copy as { formatVersion: number }).formatVersion = 2; })).join(), '/formatVersion');
  assert.match((await broken((copy) => { Object.assign(copy.targets.token, { colour: 'blue' }); })).join(), 'colour');
  assert.match((await broken((copy) => { copy.scenarios[0].transcript = { file: '../etc/passwd', from: 1, to: 2 }; })).join(), '/scenarios/0/transcript/file');
  assert.match((await broken((copy) => { copy.targets.iam = { target: 'aws', kind: 'aws', endpoint: 'https://iam.amazonaws.com', accountId: '12345' }; })).join(), '/targets/iam/accountId');
  assert.equal(await broken((copy) => { copy.targets.iam = { target: 'aws:lab', kind: 'aws', endpoint: 'https://iam.amazonaws.com', accountId: '123456789012', region: 'us-east-1', principalArn: 'arn:aws:iam::123456789012:user/ci' }; }), []);
});

test('readReport refers a report of another format version to another keyloop, before the schema', async () => {
  const file = join(reportsDir, 'future.json');
  await writeFile(file, JSON.stringify({ formatVersion: 7, everything: 'else' }));
  const error = await readReport(file).then(() => undefined, (caught: unknown) => caught);
  assert.instance(error, ReportInputError);
  assert.is((error as ReportInputError).code, 'wrong-version');
  assert.match((error as Error).message, 'report format version 7; this keyloop reads version 1');
});

test.run();
