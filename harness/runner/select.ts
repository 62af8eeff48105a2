// Scenario selection for `keyloop run --select`: by id (glob `*`), by suite, or by `tag:NAME`.
import type { Scenario } from './scenario.ts';

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`);
}

function matches(scenario: Scenario, pattern: string): boolean {
  if (pattern.startsWith('tag:')) return (scenario.tags ?? []).includes(pattern.slice(4));
  const suite = scenario.id.split('.')[0];
  return pattern === suite || globToRegExp(pattern).test(scenario.id);
}

/** Scenarios matching any pattern, in their original order; all of them when no pattern is given. */
export function selectScenarios(scenarios: Scenario[], patterns: string[]): Scenario[] {
  if (patterns.length === 0) return scenarios;
  return scenarios.filter((scenario) => patterns.some((pattern) => matches(scenario, pattern)));
}
