// An inline SVG bar chart of durations (the slowest steps of a run): labels on the left, bars
// on a shared linear scale with round-number gridlines, values at the bar ends.
import { formatMs } from './format.ts';
import { html, type SafeHtml } from './html-escape.ts';
import type { Outcome } from './model.ts';

export interface TimingBar {
  label: string;
  /** Second, quieter line under the label (the scenario a step belongs to). */
  detail: string;
  ms: number;
  outcome: Outcome;
}

export interface TimingChartOptions {
  bars: TimingBar[];
  /** Accessible name of the chart. */
  title: string;
}

const WIDTH = 1100;
const LABEL_WIDTH = 330;
const VALUE_WIDTH = 80;
const ROW = 34;
const TOP = 22;
const BAR_COLOUR: Record<Outcome, string> = { pass: '#57606a', fail: '#cf222e', error: '#bc4c00', skip: '#afb8c1' };

export function timingChart({ bars, title }: TimingChartOptions): SafeHtml {
  const max = Math.max(...bars.map((bar) => bar.ms), 0.001);
  const tick = niceStep(max / 4);
  const scaleMax = Math.ceil(max / tick) * tick;
  const plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
  const x = (ms: number) => LABEL_WIDTH + (ms / scaleMax) * plot;
  const height = TOP + bars.length * ROW + 6;
  const ticks = Array.from({ length: Math.round(scaleMax / tick) + 1 }, (_, index) => index * tick);
  return html`<svg viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="${title}" xmlns="http://www.w3.org/2000/svg">
<title>${title}</title>
${ticks.map((value) => html`<line x1="${x(value).toFixed(1)}" x2="${x(value).toFixed(1)}" y1="${TOP - 6}" y2="${height - 4}" stroke="#e7ebef"/><text x="${x(value).toFixed(1)}" y="12" text-anchor="middle" class="value">${value === 0 ? '0' : formatMs(value)}</text>`)}
${bars.map((bar, index) => {
    const y = TOP + index * ROW;
    const width = Math.max(1.5, x(bar.ms) - LABEL_WIDTH);
    return html`<g><title>${bar.detail} › ${bar.label}: ${formatMs(bar.ms)}</title>
<text x="${LABEL_WIDTH - 12}" y="${y + 13}" text-anchor="end">${truncate(bar.label, 44)}</text>
<text x="${LABEL_WIDTH - 12}" y="${y + 27}" text-anchor="end" class="scenario">${truncate(bar.detail, 48)}</text>
<rect x="${LABEL_WIDTH}" y="${y + 6}" width="${width.toFixed(1)}" height="18" rx="3" fill="${BAR_COLOUR[bar.outcome]}"/>
<text x="${(LABEL_WIDTH + width + 8).toFixed(1)}" y="${y + 19}" class="value">${formatMs(bar.ms)}</text></g>`;
  })}
</svg>`;
}

/** 1, 2 or 5 times a power of ten, at least `raw`. */
function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((factor) => factor * power).find((step) => step >= raw) ?? 10 * power;
}

function truncate(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}
