// Building blocks the report page and the comparison page share: badges, tags, field lists,
// count tiles, totals tables and the filter bar (whose behaviour is in html-script.ts).
import { formatMs, OUTCOME_LABEL, OUTCOMES } from './format.ts';
import { html, type SafeHtml } from './html-escape.ts';
import type { GroupTotals, Outcome, OutcomeCounts } from './model.ts';

export function outcomeBadge(outcome: Outcome): SafeHtml {
  return html`<span class="badge ${outcome}">${OUTCOME_LABEL[outcome]}</span>`;
}

export function tagList(tags: string[]): SafeHtml {
  return html`<span class="tags">${tags.map((tag) => html`<span class="tag">${tag}</span>`)}</span>`;
}

/** A definition list; values of the fields named in `mono` are set in the monospace font. */
export function fieldList(rows: Array<[string, string]>, mono: string[] = []): SafeHtml {
  return html`<dl class="fields">${rows.map(([name, value]) => html`<dt>${name}</dt><dd class="${mono.includes(name) ? 'mono' : ''}">${value}</dd>`)}</dl>`;
}

/** A big number with a label; `className` colours it (`pass`, `fail`, ...), grey when it is zero. */
export function countTile(className: string, count: number, label: string): SafeHtml {
  return html`<div class="tile ${count === 0 ? 'zero' : className}"><div class="n">${count}</div><div class="label">${label}</div></div>`;
}

export function countTiles(totals: OutcomeCounts): SafeHtml {
  return html`<div class="tiles">${countTile('all', totals.total, 'scenarios')}${countTile('pass', totals.pass, 'passed')}${countTile('fail', totals.fail, 'failed')}${countTile('error', totals.error, 'errors')}${countTile('skip', totals.skip, 'skipped')}</div>`;
}

/** A thin bar split in proportion to the outcomes (failures first, as the eye should go). */
export function outcomeBar(totals: OutcomeCounts): SafeHtml {
  const parts = OUTCOMES.filter((outcome) => totals[outcome] > 0);
  const label = parts.map((outcome) => `${totals[outcome]} ${OUTCOME_LABEL[outcome]}`).join(', ');
  return html`<div class="ratio" role="img" aria-label="${label}">${parts.map((outcome) => html`<span class="${outcome}" style="width:${((totals[outcome] / Math.max(1, totals.total)) * 100).toFixed(2)}%"></span>`)}</div>`;
}

export function totalsTable(label: string, groups: GroupTotals[]): SafeHtml {
  const cell = (count: number, className: string) => html`<td class="num ${count === 0 ? 'zero' : className}">${count}</td>`;
  return html`<table class="totals"><thead><tr><th>${label}</th><th class="num">Total</th><th class="num">Pass</th><th class="num">Fail</th><th class="num">Error</th><th class="num">Skip</th><th class="num">Time</th><th></th></tr></thead><tbody>
${groups.map(({ name, totals, durationMs }) => html`<tr><td>${name}</td>${cell(totals.total, '')}${cell(totals.pass, '')}${cell(totals.fail, 'has-fail')}${cell(totals.error, 'has-error')}${cell(totals.skip, '')}<td class="num">${formatMs(durationMs)}</td><td class="bar">${outcomeBar(totals)}</td></tr>\n`)}</tbody></table>`;
}

export interface FilterChip {
  value: string;
  label: string;
  count: number;
  /** Colours the pressed chip: `pass`, `fail`, ... */
  className?: string;
}

export interface FilterGroup {
  /** The item attribute it filters on: `outcome` reads `data-outcome`. */
  key: string;
  label: string;
  chips: FilterChip[];
}

export interface FilterBarOptions {
  groups: FilterGroup[];
  searchPlaceholder: string;
  /** What the expand button opens: items marked `.attention` (failures, differences) when there are any, else every row. */
  expandLabel: string;
  /** Transcript layers that can be shown or hidden. */
  transcriptKinds?: string[];
}

export function filterBar({ groups, searchPlaceholder, expandLabel, transcriptKinds = [] }: FilterBarOptions): SafeHtml {
  const [first, ...rest] = groups.filter((group) => group.chips.length > 0);
  return html`<div class="filters" data-filters>
<div class="filters-row">${first ? chipGroup(first) : ''}
<div class="filter-group"><input type="search" data-search placeholder="${searchPlaceholder}" aria-label="${searchPlaceholder}"></div>
${transcriptKinds.length > 0 ? html`<div class="filter-group" title="Show or hide each layer in transcript excerpts"><span class="filter-label">Show</span>${transcriptKinds.map((kind) => html`<button type="button" class="chip" data-show-kind="${kind}" aria-pressed="true">${kind.toUpperCase()}</button>`)}</div>` : ''}
<div class="filter-group actions"><span class="count" data-count></span><button type="button" class="action" data-expand data-expand-label="${expandLabel}" aria-expanded="false">${expandLabel}</button><button type="button" class="action" data-reset>Clear filters</button></div></div>
${rest.length > 0 ? html`<div class="filters-row">${rest.map((group) => chipGroup(group))}</div>` : ''}
</div>
<div class="card empty" data-empty hidden>Nothing matches these filters.</div>`;
}

function chipGroup(group: FilterGroup): SafeHtml {
  return html`<div class="filter-group" data-key="${group.key}"><span class="filter-label">${group.label}</span>${group.chips.map((chip) => html`<button type="button" class="chip ${chip.className ?? ''}" data-value="${chip.value}" aria-pressed="false">${chip.label}<span class="n">${chip.count}</span></button>`)}</div>`;
}
