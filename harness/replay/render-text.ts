// Terminal rendering of a replay: a line per scenario (same, differs, error), each difference
// below it as `field: recorded X, replayed Y`, then what was not replayed and a summary line.
import pc from 'picocolors';
import type { ReplayResult, ScenarioOutcome, ScenarioReplay } from './model.ts';
import { NOT_REPLAYED_REASONS } from './recorded-traffic.ts';

const MARK: Record<ScenarioOutcome, string> = {
  same: pc.green('='),
  differs: pc.red('≠'),
  error: pc.magenta('!'),
};

export function scenarioLines(scenario: ScenarioReplay): string[] {
  const timing = scenario.medianTimingRatio === undefined ? '' : pc.dim(`  timing ×${scenario.medianTimingRatio}`);
  const steps = `${scenario.steps.length} step${scenario.steps.length === 1 ? '' : 's'}`;
  const head = `  ${MARK[scenario.outcome]} ${scenario.id.padEnd(30)} ${scenario.outcome.padEnd(7)} ${pc.dim(steps)}${timing}`;
  if (scenario.error) return [head, `      ${scenario.error}`];
  const details = scenario.steps.flatMap((step) => {
    const where = `step ${step.index} ${step.command}${step.step ? ` (${step.step})` : ''}`;
    return [
      ...step.differences.map((d) => `      ${where}: ${d.field}: recorded ${d.recorded}, replayed ${d.replayed}`),
      ...step.notes.map((note) => pc.dim(`      ${where}: ${note}`)),
    ];
  });
  return [head, ...details];
}

export function notReplayedLines(result: ReplayResult): string[] {
  if (result.notReplayed.length === 0) return [];
  const hid = result.notReplayed.filter((entry) => entry.hidReports > 0);
  const http = result.notReplayed.filter((entry) => entry.httpMessages > 0);
  const sum = (entries: typeof hid, key: 'hidReports' | 'httpMessages') => entries.reduce((total, entry) => total + entry[key], 0);
  const lines: string[] = [];
  if (hid.length > 0) {
    lines.push(pc.yellow(`  not replayed: ${hid.length} CTAPHID scenario(s), ${sum(hid, 'hidReports')} HID reports (${hid.map((entry) => entry.scenario).join(', ')})`));
    lines.push(pc.dim(`    ${NOT_REPLAYED_REASONS.hid}`));
  }
  if (http.length > 0) {
    lines.push(pc.yellow(`  not replayed: ${sum(http, 'httpMessages')} HTTP messages in ${http.length} scenario(s)`), pc.dim(`    ${NOT_REPLAYED_REASONS.http}`));
  }
  return lines;
}

export function replaySummaryLine({ totals }: ReplayResult): string {
  const parts = [pc.green(`${totals.same} same`), (totals.differs ? pc.red : pc.dim)(`${totals.differs} differ`)];
  if (totals.errors) parts.push(pc.magenta(`${totals.errors} could not be replayed`));
  return `${totals.scenarios} scenarios: ${parts.join(', ')}; ${totals.differences} difference(s) in ${totals.steps} steps`;
}
