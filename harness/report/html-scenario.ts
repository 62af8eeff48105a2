// One scenario in the HTML report: a row (result, id, title, reason, tags, duration) that opens
// into its details: the failure with expected versus actual, the timed steps, the observations
// and the transcript excerpt.
import { formatMs, OUTCOME_LABEL, OUTCOME_SYMBOL } from './format.ts';
import type { DecodedLine } from './decode-transcript.ts';
import { html, type SafeHtml } from './html-escape.ts';
import { outcomeBadge, tagList } from './html-parts.ts';
import { transcriptExcerpt } from './html-transcript.ts';
import type { ScenarioReport } from './model.ts';
import { TRANSCRIPT_FILE } from './transcript-format.ts';

export interface ScenarioRowOptions {
  scenario: ScenarioReport;
  /** The scenario's decoded transcript lines; empty when the run has no transcript. */
  transcript: DecodedLine[];
  /** Transcript rows shown in the excerpt. */
  transcriptLimit: number;
}

export function scenarioRow({ scenario, transcript, transcriptLimit }: ScenarioRowOptions): SafeHtml {
  const attention = scenario.outcome === 'fail' || scenario.outcome === 'error';
  const search = [scenario.id, scenario.title, scenario.reason ?? '', ...scenario.tags].join(' ').toLowerCase();
  return html`<details class="scenario outcome-${scenario.outcome} ${attention ? 'attention' : ''}" data-item data-outcome="${scenario.outcome}" data-tags="${scenario.tags.join(' ')}" data-search="${search}" id="${`scenario-${scenario.id}`}">
<summary class="grid-row"><span>${outcomeBadge(scenario.outcome)}</span><span class="id">${scenario.id}</span><span class="title-col">${scenario.title}${scenario.reason ? html`<span class="reason-line">${scenario.reason}</span>` : ''}</span><span class="tags-col">${tagList(scenario.tags)}</span><span class="dur">${scenario.outcome === 'skip' ? '–' : formatMs(scenario.durationMs)}</span></summary>
<div class="detail">${failureBox(scenario)}${stepList(scenario)}${observationList(scenario)}${transcriptSection(scenario, transcript, transcriptLimit)}</div>
</details>`;
}

function failureBox(scenario: ScenarioReport): SafeHtml | '' {
  if (scenario.outcome === 'pass') return '';
  const { expected, actual } = scenario;
  const versus = expected !== undefined || actual !== undefined
    ? html`<div class="versus"><div class="expected"><div class="label">Expected</div><pre>${expected ?? '–'}</pre></div><div class="actual"><div class="label">Actual</div><pre>${actual ?? '–'}</pre></div></div>`
    : '';
  return html`<div class="failure ${scenario.outcome}"><div class="what">${OUTCOME_SYMBOL[scenario.outcome]} ${scenario.reason ?? OUTCOME_LABEL[scenario.outcome]}</div>${versus}</div>`;
}

function stepList(scenario: ScenarioReport): SafeHtml | '' {
  if (scenario.steps.length === 0) return '';
  const slowest = Math.max(...scenario.steps.map((step) => step.durationMs), 0.001);
  return html`<h3>Steps</h3><ol class="steps">${scenario.steps.map((step) => html`<li><span class="sym ${step.outcome}" title="${OUTCOME_LABEL[step.outcome]}">${OUTCOME_SYMBOL[step.outcome]}</span><span>${step.name}</span><span class="track"><span class="${step.outcome}" style="width:${((step.durationMs / slowest) * 100).toFixed(1)}%"></span></span><span class="ms">${formatMs(step.durationMs)}</span></li>`)}</ol>`;
}

function observationList(scenario: ScenarioReport): SafeHtml | '' {
  if (scenario.observations.length === 0) return '';
  return html`<h3>Observations</h3><ul class="observations">${scenario.observations.map((note) => html`<li>${note}</li>`)}</ul>`;
}

function transcriptSection(scenario: ScenarioReport, lines: DecodedLine[], limit: number): SafeHtml | '' {
  const file = scenario.transcript?.file ?? TRANSCRIPT_FILE;
  if (lines.length === 0) {
    return scenario.transcript ? html`<h3>Transcript</h3><p class="muted">${file} lines ${scenario.transcript.from}–${scenario.transcript.to} (the file is not beside this report).</p>` : '';
  }
  const first = lines[0].line;
  const last = lines[lines.length - 1].line;
  return html`<h3>Transcript</h3><p class="subhead"><a href="${file}">${file}</a> lines ${first}–${last}, times in ms from the scenario's first exchange; → from the harness, ← to it</p>${transcriptExcerpt({ lines, file, limit })}`;
}
