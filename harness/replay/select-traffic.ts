// `keyloop replay --select`: the same patterns as `keyloop run --select` (scenario ids with glob
// `*`, suite names), matched by the runner's own selectScenarios. `tag:` patterns match nothing,
// since a transcript does not carry tags.
import { selectScenarios, type Scenario } from '../runner/index.ts';
import type { RecordedTraffic } from './recorded-traffic.ts';

export function selectTraffic(traffic: RecordedTraffic, patterns: readonly string[]): RecordedTraffic {
  if (patterns.length === 0) return traffic;
  const ids = [...traffic.scenarios.map((scenario) => scenario.id), ...traffic.notReplayed.map((entry) => entry.scenario)];
  // Only id and tags matter to selectScenarios; a recorded scenario has no body to run.
  const asScenarios = ids.map((id): Scenario => ({ id, title: id, run: () => Promise.resolve() }));
  const chosen = new Set(selectScenarios(asScenarios, [...patterns]).map((scenario) => scenario.id));
  return {
    scenarios: traffic.scenarios.filter((scenario) => chosen.has(scenario.id)),
    notReplayed: traffic.notReplayed.filter((entry) => chosen.has(entry.scenario)),
  };
}
