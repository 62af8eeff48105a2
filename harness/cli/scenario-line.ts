// Terminal rendering of scenario results: one line each, the reason indented below failures.
import pc from 'picocolors';
import type { Outcome, RunResult, ScenarioResult } from '../runner/index.ts';

const MARK: Record<Outcome, string> = {
  pass: pc.green('✓'),
  fail: pc.red('✗'),
  error: pc.magenta('!'),
  skip: pc.yellow('-'),
};

function duration(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

export function scenarioLine(result: ScenarioResult): string {
  const head = `  ${MARK[result.outcome]} ${result.id.padEnd(30)} ${result.title}`;
  const time = result.outcome === 'skip' ? '' : pc.dim(`  ${duration(result.durationMs)}`);
  const reason = result.reason ? `\n      ${result.outcome === 'skip' ? pc.yellow('skipped: ') : ''}${result.reason}` : '';
  return `${head}${time}${reason}`;
}

export function summaryLine(run: RunResult): string {
  const { pass, fail, error, skip } = run.totals;
  const parts = [pc.green(`${pass} passed`), (fail ? pc.red : pc.dim)(`${fail} failed`)];
  if (error) parts.push(pc.magenta(`${error} errored`));
  if (skip) parts.push(pc.yellow(`${skip} skipped`));
  return `${run.scenarios.length} scenarios: ${parts.join(', ')} in ${duration(run.durationMs)}`;
}
