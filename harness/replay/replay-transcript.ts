// `keyloop replay`'s core, without the command line: the selected scenarios of a recorded
// transcript, replayed one after another against an open token target, into a ReplayResult.
import type { TokenTarget } from '../targets/token-target.ts';
import { REPLAY_FORMAT_VERSION, type RecordedRun, type ReplayResult, type ReplayTotals, type ScenarioReplay } from './model.ts';
import type { RecordedTraffic } from './recorded-traffic.ts';
import { replayScenario, type ReplayScenarioOptions } from './replay-scenario.ts';

export interface ReplayTranscriptOptions extends Omit<ReplayScenarioOptions, 'scenario'> {
  recorded: RecordedRun;
  /** The transcript's traffic, already narrowed to the selected scenarios. */
  traffic: RecordedTraffic;
  /** Called after each scenario (terminal output). */
  onScenario?: (scenario: ScenarioReplay) => void;
  /** Clock for the start time (injectable for tests). */
  now?: () => Date;
}

export async function replayTranscript({ recorded, traffic, target, onScenario, now = () => new Date(), ...sending }: ReplayTranscriptOptions): Promise<ReplayResult> {
  const startedAt = now();
  const start = performance.now();
  const scenarios: ScenarioReplay[] = [];
  for (const scenario of traffic.scenarios) {
    const replayed = await replayScenario({ scenario, target, ...sending });
    scenarios.push(replayed);
    onScenario?.(replayed);
  }
  return {
    formatVersion: REPLAY_FORMAT_VERSION,
    tool: 'keyloop',
    recorded,
    target: target.description,
    startedAt: startedAt.toISOString(),
    durationMs: Math.round(performance.now() - start),
    scenarios,
    notReplayed: traffic.notReplayed,
    totals: countTotals(scenarios, traffic.notReplayed.length),
  };
}

function countTotals(scenarios: ScenarioReplay[], notReplayed: number): ReplayTotals {
  const count = (outcome: ScenarioReplay['outcome']) => scenarios.filter((scenario) => scenario.outcome === outcome).length;
  const steps = scenarios.flatMap((scenario) => scenario.steps);
  return {
    scenarios: scenarios.length,
    same: count('same'),
    differs: count('differs'),
    errors: count('error'),
    steps: steps.length,
    differences: steps.reduce((sum, step) => sum + step.differences.length, 0),
    notReplayed,
  };
}
