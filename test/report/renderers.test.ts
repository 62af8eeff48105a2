// junit.xml, report.md and report.html of real runs: the XML parses and its counts match, and
// every failing scenario's reason is in each rendering. Then hostile text (markup, pipes,
// backticks, control characters) from a device or a message cannot break any of them.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { allScenarios } from '../../scenarios/index.ts';
import { selectScenarios } from '../../harness/runner/index.ts';
import { buildReport, type RunInput } from '../../harness/report/build-report.ts';
import { escapeHtml } from '../../harness/report/html-escape.ts';
import type { Report } from '../../harness/report/model.ts';
import { renderHtml } from '../../harness/report/render-html.ts';
import { renderJunit } from '../../harness/report/render-junit.ts';
import { renderMarkdown } from '../../harness/report/render-markdown.ts';
import { BROKEN_SCENARIO, FAULTY_PROFILE, recordRun, SELECTION, temporaryReportsDir } from './support.ts';

const reportsDir = await temporaryReportsDir();
const { dir } = await recordRun({ reportsDir, profilePath: FAULTY_PROFILE, scenarios: [...selectScenarios(allScenarios, SELECTION), BROKEN_SCENARIO], withhold: ['restart'] });
const read = (file: string) => readFile(join(dir, file), 'utf8');
const report = JSON.parse(await read('report.json')) as Report;
const failures = report.scenarios.filter((scenario) => scenario.outcome === 'fail' || scenario.outcome === 'error');

test.after(() => rm(reportsDir, { recursive: true, force: true }));

interface JunitCase { '@_name': string; '@_classname': string; '@_time': string; failure?: { '@_message': string }; error?: { '@_message': string }; skipped?: { '@_message': string }; 'system-out'?: string }
interface JunitSuite { '@_name': string; '@_tests': string; '@_failures': string; '@_errors': string; '@_skipped': string; testcase: JunitCase[]; properties: { property: Array<{ '@_name': string; '@_value': string }> } }

function parseJunit(xml: string): { testsuites: Record<string, string> & { testsuite: JunitSuite[] } } {
  assert.is(XMLValidator.validate(xml), true);
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name) });
  return parser.parse(xml);
}

test('junit.xml is well-formed, one testsuite per suite and one testcase per scenario, counts matching', async () => {
  const { testsuites } = parseJunit(await read('junit.xml'));
  assert.is(Number(testsuites['@_tests']), report.totals.total);
  assert.is(Number(testsuites['@_failures']), report.totals.fail);
  assert.is(Number(testsuites['@_errors']), report.totals.error);
  assert.is(Number(testsuites['@_skipped']), report.totals.skip);
  assert.equal(testsuites.testsuite.map((suite) => suite['@_name']), report.suites.map((suite) => suite.name));
  for (const suite of testsuites.testsuite) {
    const cases = suite.testcase;
    assert.is(Number(suite['@_tests']), cases.length);
    assert.is(Number(suite['@_failures']), cases.filter((each) => each.failure).length);
    assert.is(Number(suite['@_errors']), cases.filter((each) => each.error).length);
    assert.is(Number(suite['@_skipped']), cases.filter((each) => each.skipped !== undefined).length);
    assert.ok(cases.every((each) => each['@_classname'] === `keyloop.${suite['@_name']}` && Number(each['@_time']) >= 0));
  }
  const cases = new Map(testsuites.testsuite.flatMap((suite) => suite.testcase).map((each) => [each['@_name'], each]));
  assert.equal([...cases.keys()].sort(), report.scenarios.map((scenario) => scenario.id).sort());
  for (const scenario of report.scenarios) {
    const verdict = cases.get(scenario.id)!;
    if (scenario.outcome === 'fail') assert.is(verdict.failure?.['@_message'], scenario.reason);
    if (scenario.outcome === 'error') assert.is(verdict.error?.['@_message'], scenario.reason);
    if (scenario.outcome === 'skip') assert.is(verdict.skipped?.['@_message'], scenario.reason);
    if (scenario.outcome === 'pass') assert.ok(!verdict.failure && !verdict.error && verdict.skipped === undefined);
  }
  const properties = new Map(testsuites.testsuite[0].properties.property.map((each) => [each['@_name'], each['@_value']]));
  assert.is(properties.get('token.serial number'), 'KLFAULTY0001');
  assert.is(properties.get('token.capabilities'), 'WINK');
});

test("report.md: verdict, device capabilities, summary tables, and every failing scenario's reason", async () => {
  const markdown = await read('report.md');
  assert.match(markdown, /\*\*FAIL\*\*: 11 scenarios: 4 passed, 5 failed, 1 skipped, 1 error/);
  assert.match(markdown, /\| capabilities \| `WINK` \|/);
  assert.match(markdown, /\| device version \| `1\.0\.0` \|/);
  assert.match(markdown, /## Summary by category\n\n\| Tag \| Scenarios/);
  assert.match(markdown, /\| u2f \| 9 \| 2 \| 5 \| 1 \| 1 \|/);
  for (const scenario of failures) {
    assert.ok(markdown.includes(`### ${scenario.outcome === 'error' ? '!' : '✗'} ${scenario.id}: `), scenario.id);
    assert.ok(markdown.includes(scenario.reason!), `reason of ${scenario.id}`);
  }
  assert.match(markdown, /## Skipped \(1\)\n\n- `u2f\.counter-across-restart`: target emulator lacks restart/);
  assert.match(markdown, /- \*\*Expected:\*\* `true`\n- \*\*Actual:\*\* `false`/);
});

test("report.html: one file with no external reference, and every failing scenario's reason", async () => {
  const page = await read('report.html');
  assert.not.match(page, /(?:src|href)="(?:https?:)?\/\//);
  assert.not.match(page, /@import|url\(/);
  assert.is(page.match(/<script>/g)?.length, 1);
  for (const scenario of failures) assert.ok(page.includes(escapeHtml(scenario.reason!)), `reason of ${scenario.id}`);
  assert.ok(page.includes('id="scenario-u2f.version"'));
  assert.match(page, /<svg viewBox="0 0 1100 \d+" role="img" aria-label="The 10 slowest steps"/);
});

test('report.html quotes the failing exchange from the transcript, decoded into fields', async () => {
  const page = await read('report.html');
  const version = page.slice(page.indexOf('id="scenario-u2f.version"'), page.indexOf('</details>', page.indexOf('id="scenario-u2f.version"')));
  assert.match(version, /<span class="msg">VERSION response<\/span><span class="kv sw-bad"><span class="k">SW<\/span><span class="v">6D00 INS_NOT_SUPPORTED<\/span>/);
  // The instruction names the row; its INS field is not repeated.
  assert.match(version, /<span class="msg">VERSION<\/span><span class="kv"><span class="k">CLA<\/span><span class="v">0x00<\/span>/);
  assert.match(version, /<span class="k">capabilities<\/span><span class="v">WINK<\/span>/);
  assert.match(version, /<span class="seg seg-cid" title="CID, 4 bytes">ff ff ff ff<\/span>/);
});

const hostile = '<script>alert("x")</script> | `tick` ``` ]]> \u0001 & done';

function hostileReport(): Report {
  const run: RunInput = {
    runId: '20261128-120000-0001',
    startedAt: '2026-11-28T12:00:00.000Z',
    durationMs: 12,
    token: { target: 'hid:/dev/hidraw0', kind: 'hid', vendorId: 0x1050, productId: 0x0407, product: hostile, manufacturer: 'Yubico | <b>' },
    iam: { target: 'mock', kind: 'mock', endpoint: 'http://127.0.0.1:4566', accountId: '123456789012', region: 'us-east-1', principalArn: 'arn:aws:iam::123456789012:user/keyloop-admin' },
    scenarios: [{
      id: 'workshop.enable-mfa', title: hostile, suite: 'workshop', tags: ['iam', 'a"b'], outcome: 'fail', reason: hostile, expected: hostile, actual: '`x`',
      durationMs: 3, steps: [{ name: hostile, durationMs: 1, outcome: 'fail' }], observations: [hostile],
    }],
    totals: { pass: 0, fail: 1, skip: 0, error: 0 },
  };
  return buildReport({ run, tool: { name: 'keyloop', version: '0.1.0' }, host: { hostname: 'lab<1>', platform: 'linux 6.1', arch: 'x64', node: 'v20.19.0' } });
}

test('hostile text stays text: HTML escapes it, Markdown keeps its tables, JUnit stays well-formed', () => {
  const report = hostileReport();
  const page = renderHtml({ report, transcripts: new Map() });
  assert.not.ok(page.includes('<script>alert'));
  assert.is(page.match(/<script>/g)?.length, 1);
  assert.ok(page.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;'));
  assert.ok(page.includes('IAM target'));
  const markdown = renderMarkdown(report);
  const row = markdown.split('\n').find((line) => line.startsWith('| ✗ failed'))!;
  assert.is(row.replace(/\\\|/g, '').split('|').length, 7, row);
  // Plain text is backslash-escaped; code spans (reasons, device strings) show markup literally.
  assert.ok(row.includes('\\<script\\>alert'), row);
  assert.ok(markdown.includes('| product | ````<script>alert("x")</script> \\| `tick` ``` ]]>'));
  const { testsuites } = parseJunit(renderJunit(report));
  const verdict = testsuites.testsuite[0].testcase[0];
  assert.is(verdict.failure?.['@_message'], hostile.replace('\u0001', '\ufffd'));
  assert.ok(testsuites.testsuite[0].properties.property.some((each) => each['@_name'] === 'iam.account' && each['@_value'] === '123456789012'));
});

test.run();
