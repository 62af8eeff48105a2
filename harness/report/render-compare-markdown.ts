// compare.md: the comparison for a pull request or an issue: both runs, the target fields that
// differ, the scenarios whose outcome differs with both reasons, the responses that differ field
// by field, the largest timing changes, and what only one run has.
import type { Comparison } from './comparison-model.ts';
import { describeTotals, formatMs, formatRatio, OUTCOME_LABEL } from './format.ts';
import { mdCode, mdTable, mdText } from './markdown-text.ts';

export interface RenderComparisonMarkdownOptions {
  comparison: Comparison;
  /** Rows in the timing table. */
  timingRows?: number;
}

export function renderComparisonMarkdown({ comparison, timingRows = 15 }: RenderComparisonMarkdownOptions): string {
  const { a, b, summary, targets, responses, timing, scenarios } = comparison;
  const differing = scenarios.filter((pair) => pair.status === 'differs');
  const onlyIn = (status: 'only-a' | 'only-b') => scenarios.filter((pair) => pair.status === status);
  const code = (text: string | undefined) => (text === undefined ? '–' : mdCode(text, { inTable: true }));
  const sections = [
    `# keyloop comparison: A ${mdText(a.runId)} vs B ${mdText(b.runId)}`,
    mdTable(['', 'Run', 'Token', 'Result', 'Took'], [
      ['A', mdCode(a.runId, { inTable: true }), mdText(a.token.target), describeTotals(a.totals), formatMs(a.durationMs)],
      ['B', mdCode(b.runId, { inTable: true }), mdText(b.token.target), describeTotals(b.totals), formatMs(b.durationMs)],
    ]),
    `${summary.differing} outcomes differ, ${summary.same} agree, ${summary.onlyInA} only in A, ${summary.onlyInB} only in B; ${summary.differingTargetFields} target fields and ${summary.differingResponseFields} response fields differ.`,
    '## Targets',
    mdTable(['Field', 'A', 'B', ''], targets.map((row) => [mdText(row.field), code(row.a), code(row.b), row.same ? '' : '**differs**'])),
    `## Results that differ (${differing.length})`,
    differing.length === 0
      ? 'None.'
      : mdTable(['Scenario', 'A', 'B', 'A says', 'B says'], differing.map((pair) => [
        mdCode(pair.id, { inTable: true }), OUTCOME_LABEL[pair.a!.outcome], OUTCOME_LABEL[pair.b!.outcome], code(pair.a!.reason), code(pair.b!.reason),
      ])),
    `## Responses that differ (${responses.length})`,
    !a.transcript || !b.transcript
      ? 'Not compared: both runs need a transcript beside their report.'
      : responses.length === 0
        ? 'None.'
        : mdTable(['Scenario', 'Message', 'Field', 'A', 'B'], responses.map((row) => [mdCode(row.scenario, { inTable: true }), mdText(row.message), mdText(row.field), code(row.a), code(row.b)])),
    '## Timing',
    timing.length === 0
      ? 'Nothing both runs timed.'
      : mdTable(['Scenario', 'Step', 'A', 'B', 'B / A'], timing.slice(0, timingRows).map((row) => [
        mdCode(row.scenario, { inTable: true }), mdText(row.step ?? '(whole scenario)'), formatMs(row.aMs), formatMs(row.bMs), formatRatio(row.ratio),
      ])),
    ...(['only-a', 'only-b'] as const).flatMap((status) => {
      const pairs = onlyIn(status);
      return pairs.length === 0 ? [] : [`## Only in ${status === 'only-a' ? 'A' : 'B'} (${pairs.length})`, pairs.map((pair) => `- ${mdCode(pair.id)} ${mdText(pair.title)}`).join('\n')];
    }),
  ];
  return `${sections.join('\n\n')}\n`;
}
