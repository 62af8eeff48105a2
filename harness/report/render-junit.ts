// junit.xml in the shape CI systems read (Jenkins, GitLab, GitHub test reporters): one
// <testsuite> per keyloop suite, one <testcase> per scenario, <failure>/<error>/<skipped> with
// the reason, and the steps and observations in <system-out>. Times are in seconds.
import { describeProvenance, deviceRows, formatMs, iamRows, OUTCOME_SYMBOL } from './format.ts';
import type { GroupTotals, Report, ScenarioReport } from './model.ts';

export function renderJunit(report: Report): string {
  const timestamp = report.startedAt.slice(0, 19);
  const suites = report.suites.map((suite) => testsuite(report, suite, timestamp));
  const { totals } = report;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xml(`keyloop run ${report.runId}`)}" tests="${totals.total}" failures="${totals.fail}" errors="${totals.error}" skipped="${totals.skip}" time="${seconds(report.durationMs)}" timestamp="${timestamp}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}

function testsuite(report: Report, suite: GroupTotals, timestamp: string): string {
  const { totals } = suite;
  const properties: Array<[string, string]> = [
    ['keyloop.run', report.runId],
    ['keyloop.provenance', describeProvenance(report)],
    ...deviceRows(report.targets.token).map(([name, value]): [string, string] => [`token.${name}`, value]),
    ...(report.targets.iam ? iamRows(report.targets.iam).map(([name, value]): [string, string] => [`iam.${name}`, value]) : []),
  ];
  return [
    `  <testsuite name="${xml(suite.name)}" tests="${totals.total}" failures="${totals.fail}" errors="${totals.error}" skipped="${totals.skip}" time="${seconds(suite.durationMs)}" timestamp="${timestamp}" hostname="${xml(report.host.hostname)}">`,
    '    <properties>',
    ...properties.map(([name, value]) => `      <property name="${xml(name)}" value="${xml(value)}"/>`),
    '    </properties>',
    ...report.scenarios.filter((scenario) => scenario.suite === suite.name).map(testcase),
    '  </testsuite>',
  ].join('\n');
}

function testcase(scenario: ScenarioReport): string {
  const open = `    <testcase name="${xml(scenario.id)}" classname="keyloop.${xml(scenario.suite)}" time="${seconds(scenario.durationMs)}">`;
  const reason = scenario.reason ?? scenario.outcome;
  const verdict = {
    pass: '',
    skip: `      <skipped message="${xml(reason)}"/>`,
    fail: `      <failure message="${xml(reason)}" type="failure">${xml(failureText(scenario))}</failure>`,
    error: `      <error message="${xml(reason)}" type="error">${xml(failureText(scenario))}</error>`,
  }[scenario.outcome];
  return [open, verdict, `      <system-out>${xml(systemOut(scenario))}</system-out>`, '    </testcase>'].filter(Boolean).join('\n');
}

function failureText(scenario: ScenarioReport): string {
  return [
    scenario.reason,
    scenario.expected !== undefined ? `expected: ${scenario.expected}` : undefined,
    scenario.actual !== undefined ? `actual:   ${scenario.actual}` : undefined,
  ].filter((line) => line !== undefined).join('\n');
}

function systemOut(scenario: ScenarioReport): string {
  const { transcript } = scenario;
  return [
    scenario.title,
    `tags: ${scenario.tags.join(', ') || 'none'}`,
    ...scenario.steps.map((step) => `${OUTCOME_SYMBOL[step.outcome]} ${step.name} (${formatMs(step.durationMs)})`),
    ...scenario.observations.map((note) => `observed: ${note}`),
    ...(transcript ? [`transcript: ${transcript.file} lines ${transcript.from}-${transcript.to}`] : []),
  ].join('\n');
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

const XML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Text for an XML attribute or element: the five predefined entities, and U+FFFD for what XML 1.0 cannot carry at all. */
function xml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => XML_ENTITIES[char]).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}
