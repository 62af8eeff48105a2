// report.md: the run for a pull request comment or a wiki page. Verdict first, then the device
// under test with its capabilities, totals by suite and category, every failure with its reason
// and expected versus actual, the skips with theirs, and one line per scenario.
import { describeProvenance, describeTotals, deviceRows, formatMs, formatTimestamp, iamRows, OUTCOME_LABEL, OUTCOME_SYMBOL, runPassed } from './format.ts';
import { mdBlock, mdCode, mdTable, mdText } from './markdown-text.ts';
import type { GroupTotals, Report, ScenarioReport } from './model.ts';

export function renderMarkdown(report: Report): string {
  const failures = report.scenarios.filter((scenario) => scenario.outcome === 'fail' || scenario.outcome === 'error');
  const skips = report.scenarios.filter((scenario) => scenario.outcome === 'skip');
  const sections = [
    `# keyloop report ${mdText(report.runId)}`,
    `**${runPassed(report.totals) ? 'PASS' : 'FAIL'}**: ${describeTotals(report.totals)}. Started ${formatTimestamp(report.startedAt)}, took ${formatMs(report.durationMs)}.  \n${mdText(describeProvenance(report))}`,
    '## Device under test',
    fieldTable(deviceRows(report.targets.token)),
    ...(report.targets.iam ? ['## IAM target', fieldTable(iamRows(report.targets.iam))] : []),
    '## Summary by suite',
    totalsTable('Suite', report.suites),
    '## Summary by category',
    totalsTable('Tag', report.categories),
    `## Failures (${failures.length})`,
    failures.length > 0 ? failures.map(failureSection).join('\n\n') : 'None.',
    ...(skips.length > 0 ? [`## Skipped (${skips.length})`, skips.map((scenario) => `- ${mdCode(scenario.id)}: ${mdText(scenario.reason ?? 'no reason given')}`).join('\n')] : []),
    '## All scenarios',
    mdTable(
      ['', 'Scenario', 'Title', 'Tags', 'Duration'],
      report.scenarios.map((scenario) => [
        `${OUTCOME_SYMBOL[scenario.outcome]} ${OUTCOME_LABEL[scenario.outcome]}`,
        mdCode(scenario.id, { inTable: true }),
        mdText(scenario.title),
        mdText(scenario.tags.join(', ')),
        formatMs(scenario.durationMs),
      ]),
    ),
  ];
  return `${sections.join('\n\n')}\n`;
}

function fieldTable(rows: Array<[string, string]>): string {
  return mdTable(['Field', 'Value'], rows.map(([name, value]) => [name, mdCode(value, { inTable: true })]));
}

function totalsTable(label: string, groups: GroupTotals[]): string {
  return mdTable(
    [label, 'Scenarios', 'Passed', 'Failed', 'Skipped', 'Errors', 'Time'],
    groups.map(({ name, totals, durationMs }) => [mdText(name), String(totals.total), String(totals.pass), String(totals.fail), String(totals.skip), String(totals.error), formatMs(durationMs)]),
  );
}

function failureSection(scenario: ScenarioReport): string {
  const { transcript } = scenario;
  const lines = [
    `### ${OUTCOME_SYMBOL[scenario.outcome]} ${mdText(scenario.id)}: ${mdText(scenario.title)}`,
    `- **${scenario.outcome === 'error' ? 'Error' : 'Reason'}:** ${mdCode(scenario.reason ?? OUTCOME_LABEL[scenario.outcome])}`,
    ...(scenario.expected !== undefined ? [`- **Expected:** ${mdCode(scenario.expected)}`] : []),
    ...(scenario.actual !== undefined ? [`- **Actual:** ${mdCode(scenario.actual)}`] : []),
    `- **Tags:** ${mdText(scenario.tags.join(', ') || 'none')}; took ${formatMs(scenario.durationMs)}`,
    ...(transcript ? [`- **Transcript:** ${mdCode(transcript.file)} lines ${transcript.from}–${transcript.to}`] : []),
  ];
  const steps = scenario.steps.map((step) => `${OUTCOME_SYMBOL[step.outcome]} ${step.name}  ${formatMs(step.durationMs)}`);
  const details = [
    ...(steps.length > 0 ? ['', 'Steps:', '', mdBlock(steps.join('\n'))] : []),
    ...(scenario.observations.length > 0 ? ['', 'Observations:', '', ...scenario.observations.map((note) => `- ${mdText(note)}`)] : []),
  ];
  return [...lines, ...details].join('\n');
}
