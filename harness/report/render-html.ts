// report.html: the run for a person at a laptop, in one self-contained file. Verdict and
// counts first; then the device under test and the totals by suite and tag; the slowest steps;
// a filter bar; and a table per suite whose rows open into failure details and transcripts.
import { decodeTranscript } from './decode-transcript.ts';
import { describeTotals, deviceRows, formatMs, formatTimestamp, iamRows, OUTCOME_LABEL, OUTCOMES, runPassed } from './format.ts';
import { html, type SafeHtml } from './html-escape.ts';
import { htmlPage } from './html-page.ts';
import { countTiles, fieldList, filterBar, outcomeBar, totalsTable } from './html-parts.ts';
import { scenarioRow } from './html-scenario.ts';
import type { Outcome, Report, ScenarioReport } from './model.ts';
import { scenarioExcerpt, type Transcript } from './read-transcript.ts';
import { timingChart } from './svg-timing-chart.ts';

export interface RenderHtmlOptions {
  report: Report;
  /** The run's transcript files by name (readTranscripts); empty when it has none. */
  transcripts: ReadonlyMap<string, Transcript>;
  /** Transcript rows shown for a failed or errored scenario; passing ones show a quarter of it. */
  transcriptLimit?: number;
  /** Steps in the timing chart. */
  slowestSteps?: number;
}

export function renderHtml({ report, transcripts, transcriptLimit = 160, slowestSteps = 10 }: RenderHtmlOptions): string {
  const passed = runPassed(report.totals);
  const hasTranscript = report.scenarios.some((scenario) => scenarioExcerpt(transcripts, scenario).length > 0);
  const kinds = [...new Set([...transcripts.values()].flatMap((transcript) => transcript.lines.map(({ entry }) => entry.kind)))];
  const body = html`<main>
${masthead(report, passed)}
<div class="row">
<section class="card"><h2>Device under test</h2>${fieldList(deviceRows(report.targets.token), ['vendor id', 'product id', 'serial number', 'attestation SHA-256'])}
${report.targets.iam ? html`<h2 style="margin-top:16px">IAM target</h2>${fieldList(iamRows(report.targets.iam), ['endpoint', 'account', 'principal'])}` : ''}</section>
<section class="card"><h2>By suite</h2>${totalsTable('Suite', report.suites)}<h2 style="margin-top:16px">By category</h2>${totalsTable('Tag', report.categories)}</section>
</div>
${slowestChart(report.scenarios, slowestSteps)}
${filterBar({
  groups: [
    { key: 'outcome', label: 'Result', chips: OUTCOMES.filter((outcome) => report.totals[outcome] > 0).map((outcome) => ({ value: outcome, label: OUTCOME_LABEL[outcome], count: report.totals[outcome], className: outcome })) },
    { key: 'tags', label: 'Tag', chips: report.categories.map((category) => ({ value: category.name, label: category.name, count: category.totals.total })) },
  ],
  searchPlaceholder: 'Search id, title, reason',
  expandLabel: report.totals.fail + report.totals.error > 0 ? 'Expand failures' : 'Expand all',
  transcriptKinds: hasTranscript ? kinds : [],
})}
${report.suites.map((suite) => suiteTable(suite.name, report.scenarios.filter((scenario) => scenario.suite === suite.name), transcripts, transcriptLimit))}
<p class="muted" style="margin-top:18px">Beside this file: report.json (schemas/report.schema.json), junit.xml and report.md. Re-render with <code>keyloop report ${report.runId}</code>.</p>
</main>`;
  return htmlPage({ title: `keyloop ${passed ? 'PASS' : 'FAIL'} · ${report.runId}`, verdict: passed ? 'pass' : 'fail', body });
}

function masthead(report: Report, passed: boolean): SafeHtml {
  const verdict = passed ? 'pass' : 'fail';
  const { tool, host } = report;
  return html`<header class="card masthead ${verdict}">
<div class="masthead-top"><span class="verdict ${verdict}">${passed ? 'PASS' : 'FAIL'}</span><h1>keyloop conformance report</h1><span class="muted">${describeTotals(report.totals)}</span></div>
<div class="facts"><span>run <b>${report.runId}</b></span><span>started <b>${formatTimestamp(report.startedAt)}</b></span><span>took <b>${formatMs(report.durationMs)}</b></span><span>token <b>${report.targets.token.target}</b></span>${report.targets.iam ? html`<span>IAM <b>${report.targets.iam.target}</b></span>` : ''}<span>${tool.name} ${tool.version}${tool.commit ? ` (${tool.commit})` : ''}</span><span>${host.hostname} · ${host.platform} ${host.arch} · node ${host.node}</span></div>
${countTiles(report.totals)}
${outcomeBar(report.totals)}
</header>`;
}

function slowestChart(scenarios: ScenarioReport[], count: number): SafeHtml | '' {
  const steps = scenarios.flatMap((scenario) => scenario.steps.map((step) => ({ label: step.name, detail: scenario.id, ms: step.durationMs, outcome: step.outcome as Outcome })));
  const bars = steps.sort((a, b) => b.ms - a.ms).slice(0, count);
  if (bars.length === 0) return '';
  return html`<section class="card chart"><h2>Slowest steps</h2><p class="subhead">The ${bars.length} longest of ${steps.length} timed steps; red bars failed.</p>${timingChart({ bars, title: `The ${bars.length} slowest steps` })}</section>`;
}

function suiteTable(name: string, scenarios: ScenarioReport[], transcripts: ReadonlyMap<string, Transcript>, transcriptLimit: number): SafeHtml {
  const totals = OUTCOMES.map((outcome) => [outcome, scenarios.filter((scenario) => scenario.outcome === outcome).length] as const).filter(([, count]) => count > 0);
  const duration = scenarios.reduce((sum, scenario) => sum + scenario.durationMs, 0);
  return html`<section class="card suite" data-group id="${`suite-${name}`}">
<div class="suite-head"><h2>${name}</h2><span class="muted">${scenarios.length} scenarios · ${totals.map(([outcome, count]) => `${count} ${OUTCOME_LABEL[outcome]}`).join(' · ')} · ${formatMs(duration)}</span></div>
<div class="grid-row col-head"><span>Result</span><span>Scenario</span><span>Title</span><span>Tags</span><span class="dur">Time</span></div>
${scenarios.map((scenario) => {
    const attention = scenario.outcome === 'fail' || scenario.outcome === 'error';
    const lines = decodeTranscript(scenarioExcerpt(transcripts, scenario));
    return scenarioRow({ scenario, transcript: lines, transcriptLimit: attention ? transcriptLimit : Math.ceil(transcriptLimit / 4) });
  })}
</section>`;
}
