// compare.html: two runs side by side for a person deciding whether B (a physical key, a real
// account) behaves like A (the emulator, the mock). Differences first: outcomes, target fields,
// responses field by field, timings; then every scenario, filterable, each opening into both
// runs' reasons.
import type { Comparison, PairStatus, ResponseDifference, RunSide, ScenarioPair, ScenarioSide, TimingRatio } from './comparison-model.ts';
import { describeTotals, formatMs, formatRatio, formatTimestamp, OUTCOME_LABEL } from './format.ts';
import { html, type SafeHtml } from './html-escape.ts';
import { htmlPage } from './html-page.ts';
import { countTile, filterBar, outcomeBadge, outcomeBar, tagList } from './html-parts.ts';

export interface RenderComparisonHtmlOptions {
  comparison: Comparison;
  /** Rows in the timing table. */
  timingRows?: number;
}

const STATUS_LABEL: Record<PairStatus, string> = { differs: 'differs', same: 'same', 'only-a': 'only in A', 'only-b': 'only in B' };

export function renderComparisonHtml({ comparison, timingRows = 15 }: RenderComparisonHtmlOptions): string {
  const { a, b, summary, scenarios } = comparison;
  const differences = summary.differing + summary.onlyInA + summary.onlyInB + summary.differingTargetFields + summary.differingResponseFields;
  const tags = [...new Set(scenarios.flatMap((pair) => pair.tags.filter((tag) => tag !== pair.suite)))].sort();
  const body = html`<main>
<header class="card masthead ${differences === 0 ? 'pass' : 'fail'}">
<div class="masthead-top"><span class="verdict ${differences === 0 ? 'pass' : 'fail'}">${differences === 0 ? 'SAME' : 'DIFFERENT'}</span><h1>keyloop run comparison</h1><span class="muted"><span class="run-label">A</span>${a.runId} (${a.token.target}) vs <span class="run-label b">B</span>${b.runId} (${b.token.target})</span></div>
<div class="tiles">${countTile('all', summary.same + summary.differing, 'in both runs')}${countTile('fail', summary.differing, 'outcomes differ')}${countTile('skip', summary.onlyInA + summary.onlyInB, 'in one run only')}${countTile('fail', summary.differingTargetFields, 'target fields differ')}${countTile('fail', summary.differingResponseFields, 'response fields differ')}</div>
</header>
<div class="runs">${runCard('A', a)}${runCard('B', b)}</div>
${outcomeTable(scenarios.filter((pair) => pair.status === 'differs'))}
${responsesTable(comparison)}
${targetsTable(comparison)}
${timingTable(comparison.timing.slice(0, timingRows), comparison.timing.length)}
${onlyInOne(scenarios)}
${filterBar({
  groups: [
    { key: 'status', label: 'Status', chips: (['differs', 'same', 'only-a', 'only-b'] as const).map((status) => ({ value: status, label: STATUS_LABEL[status], count: scenarios.filter((pair) => pair.status === status).length, className: status === 'differs' ? 'fail' : '' })).filter((chip) => chip.count > 0) },
    { key: 'tags', label: 'Tag', chips: tags.map((tag) => ({ value: tag, label: tag, count: scenarios.filter((pair) => pair.tags.includes(tag)).length })) },
  ],
  searchPlaceholder: 'Search id, title, reason',
  expandLabel: summary.differing > 0 ? 'Expand differences' : 'Expand all',
})}
<section class="card suite" data-group>
<div class="suite-head"><h2>All scenarios</h2><span class="muted">${scenarios.length} scenarios, A's order</span></div>
<div class="grid-row compare-row col-head"><span>Status</span><span>Scenario</span><span>A</span><span>B</span><span class="dur">A time</span><span class="dur">B time</span><span class="dur">B / A</span></div>
${scenarios.map((pair) => pairRow(pair, comparison.responses.filter((row) => row.scenario === pair.id)))}
</section>
<p class="muted" style="margin-top:18px">Beside this file: compare.json and compare.md.</p>
</main>`;
  return htmlPage({ title: `keyloop compare ${a.runId} vs ${b.runId}`, verdict: differences === 0 ? 'pass' : 'fail', body });
}

function runCard(label: 'A' | 'B', side: RunSide): SafeHtml {
  return html`<section class="card"><h2><span class="run-label ${label === 'B' ? 'b' : ''}">${label}</span>${side.runId}</h2>
<div class="facts"><span>token <b>${side.token.target}</b></span>${side.iam ? html`<span>IAM <b>${side.iam.target}</b></span>` : ''}<span>started <b>${formatTimestamp(side.startedAt)}</b></span><span>took <b>${formatMs(side.durationMs)}</b></span><span>${side.transcript ? 'transcript recorded' : 'no transcript'}</span></div>
<p style="margin:10px 0 0">${describeTotals(side.totals)}</p>${outcomeBar(side.totals)}</section>`;
}

function targetsTable({ targets, summary }: Comparison): SafeHtml {
  return html`<section class="card"><h2>Devices and targets under test</h2><p class="subhead">${summary.differingTargetFields === 0 ? 'Every field matches.' : `${summary.differingTargetFields} of ${targets.length} fields differ (highlighted).`}</p>
<table class="diff"><thead><tr><th style="width:180px">Field</th><th>A</th><th>B</th></tr></thead><tbody>
${targets.map((row) => html`<tr class="${row.same ? 'unchanged' : 'changed'}"><td>${row.same ? '' : html`<span class="neq" title="differs">≠</span>`}${row.field}</td><td class="${row.same ? '' : 'a'}">${row.a ?? '–'}</td><td class="${row.same ? '' : 'b'}">${row.b ?? '–'}</td></tr>\n`)}</tbody></table></section>`;
}

function outcomeTable(pairs: ScenarioPair[]): SafeHtml {
  if (pairs.length === 0) return html`<section class="card"><h2>Results that differ</h2><p class="muted" style="margin:0">None: every scenario both runs ran has the same outcome in both.</p></section>`;
  return html`<section class="card"><h2>Results that differ (${pairs.length})</h2><table class="diff"><thead><tr><th style="width:230px">Scenario</th><th style="width:90px">A</th><th style="width:90px">B</th><th>Why</th></tr></thead><tbody>
${pairs.map((pair) => html`<tr><td><a class="id" href="#pair-${pair.id}">${pair.id}</a></td><td>${outcomeBadge(pair.a!.outcome)}</td><td>${outcomeBadge(pair.b!.outcome)}</td><td>${reasonLine('A', pair.a!)}${reasonLine('B', pair.b!)}</td></tr>\n`)}</tbody></table></section>`;
}

function reasonLine(label: 'A' | 'B', side: ScenarioSide): SafeHtml | '' {
  return side.reason ? html`<div><span class="run-label ${label === 'B' ? 'b' : ''}">${label}</span>${side.reason}</div>` : '';
}

function responsesTable({ responses, a, b }: Comparison): SafeHtml {
  if (!a.transcript || !b.transcript) {
    const missing = [!a.transcript ? 'A' : '', !b.transcript ? 'B' : ''].filter(Boolean).join(' and ');
    return html`<section class="card"><h2>Responses that differ</h2><p class="muted" style="margin:0">Not compared: run ${missing} has no transcript beside its report.</p></section>`;
  }
  if (responses.length === 0) return html`<section class="card"><h2>Responses that differ</h2><p class="muted" style="margin:0">None: status words, commands, flags and versions match message for message.</p></section>`;
  return html`<section class="card"><h2>Responses that differ (${responses.length})</h2><p class="subhead">Fields both runs should agree on (status words, commands, capability bits, versions), message by message; CIDs, nonces, counters and signatures are left out.</p>
${responseRows(responses, { withScenario: true })}</section>`;
}

function responseRows(rows: ResponseDifference[], { withScenario }: { withScenario: boolean }): SafeHtml {
  return html`<table class="diff"><thead><tr>${withScenario ? html`<th style="width:230px">Scenario</th>` : ''}<th style="width:260px">Message</th><th style="width:120px">Field</th><th>A</th><th>B</th></tr></thead><tbody>
${rows.map((row) => html`<tr>${withScenario ? html`<td class="id">${row.scenario}</td>` : ''}<td>${row.message}</td><td>${row.field}</td><td class="a mono">${row.a ?? '–'}</td><td class="b mono">${row.b ?? '–'}</td></tr>\n`)}</tbody></table>`;
}

function timingTable(rows: TimingRatio[], total: number): SafeHtml | '' {
  if (rows.length === 0) return '';
  return html`<section class="card"><h2>Timing</h2><p class="subhead">The ${rows.length} largest changes of ${total} timed scenarios and steps; the bar is B's time over A's on a log scale, right is slower.</p>
<table class="diff"><thead><tr><th>Scenario › step</th><th class="num">A</th><th class="num">B</th><th class="num">B / A</th><th style="width:28%"></th></tr></thead><tbody>
${rows.map((row) => html`<tr><td><span class="id">${row.scenario}</span>${row.step ? html` › ${row.step}` : ''}</td><td class="num">${formatMs(row.aMs)}</td><td class="num">${formatMs(row.bMs)}</td><td class="num ${ratioClass(row.ratio)}">${formatRatio(row.ratio)}</td><td>${ratioBar(row.ratio)}</td></tr>\n`)}</tbody></table></section>`;
}

/** Half again as slow, or two thirds of the time, is worth a colour. */
function ratioClass(ratio: number): string {
  return ratio >= 1.5 ? 'slower' : ratio <= 1 / 1.5 ? 'faster' : '';
}

/** A bar from the centre: right for slower, left for faster, full width at 16 times. */
function ratioBar(ratio: number): SafeHtml {
  const share = Math.min(Math.abs(Math.log2(ratio)) / 4, 1) * 50;
  const slower = ratio >= 1;
  return html`<span class="delta"><span class="${slower ? 'slower' : 'faster'}" style="${slower ? 'left:50%' : `left:${(50 - share).toFixed(1)}%`};width:${share.toFixed(1)}%"></span></span>`;
}

function onlyInOne(scenarios: ScenarioPair[]): SafeHtml | '' {
  const list = (status: PairStatus, label: string) => {
    const pairs = scenarios.filter((pair) => pair.status === status);
    return pairs.length === 0 ? '' : html`<h3>${label} (${pairs.length})</h3><ul class="observations">${pairs.map((pair) => html`<li><span class="id">${pair.id}</span> ${pair.title}</li>`)}</ul>`;
  };
  const onlyA = list('only-a', 'Only in A');
  const onlyB = list('only-b', 'Only in B');
  return onlyA || onlyB ? html`<section class="card"><h2>Scenarios in one run only</h2>${onlyA}${onlyB}</section>` : '';
}

function pairRow(pair: ScenarioPair, responses: ResponseDifference[]): SafeHtml {
  const search = [pair.id, pair.title, pair.a?.reason ?? '', pair.b?.reason ?? '', ...pair.tags].join(' ').toLowerCase();
  const ratio = pair.a && pair.b && pair.a.durationMs > 0 && pair.b.durationMs > 0 ? pair.b.durationMs / pair.a.durationMs : undefined;
  const time = (side?: ScenarioSide) => (side && side.outcome !== 'skip' ? formatMs(side.durationMs) : '–');
  return html`<details class="scenario ${pair.status === 'differs' ? 'attention' : ''}" data-item data-status="${pair.status}" data-tags="${pair.tags.join(' ')}" data-search="${search}" id="${`pair-${pair.id}`}">
<summary class="grid-row compare-row"><span><span class="badge ${pair.status}">${STATUS_LABEL[pair.status]}</span></span><span><span class="id">${pair.id}</span><span class="muted" style="display:block">${pair.title}</span></span><span>${pair.a ? outcomeBadge(pair.a.outcome) : '–'}</span><span>${pair.b ? outcomeBadge(pair.b.outcome) : '–'}</span><span class="dur">${time(pair.a)}</span><span class="dur">${time(pair.b)}</span><span class="dur ${ratio ? ratioClass(ratio) : ''}">${ratio ? formatRatio(ratio) : '–'}</span></summary>
<div class="detail"><div class="versus">${sideDetail('A', pair.a)}${sideDetail('B', pair.b)}</div>${responses.length > 0 ? html`<h3>Responses that differ</h3>${responseRows(responses, { withScenario: false })}` : ''}<p style="margin:10px 0 0">${tagList(pair.tags)}</p></div>
</details>`;
}

function sideDetail(label: 'A' | 'B', side: ScenarioSide | undefined): SafeHtml {
  if (!side) return html`<div><div class="label">${label}</div><p class="muted">not run</p></div>`;
  return html`<div><div class="label">${label}: ${OUTCOME_LABEL[side.outcome]}</div>${side.reason ? html`<p style="margin:4px 0" class="${side.outcome === 'pass' ? '' : 'reason-line'}">${side.reason}</p>` : html`<p class="muted" style="margin:4px 0">no remarks</p>`}${side.expected !== undefined ? html`<div class="muted">expected</div><pre>${side.expected}</pre>` : ''}${side.actual !== undefined ? html`<div class="muted">actual</div><pre>${side.actual}</pre>` : ''}</div>`;
}
