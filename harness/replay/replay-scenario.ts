// Replays one recorded scenario: a fresh transport from the target, a CTAPHID channel on it, then
// each recorded step in order through ScenarioComparison. A target that opens no channel makes
// the scenario an `error`, with the reason.
import { CtaphidClient } from '../ctaphid/client.ts';
import type { TokenTarget } from '../targets/token-target.ts';
import { collapseRetries, isWaitingForTouch } from './collapse-retries.ts';
import type { ScenarioReplay } from './model.ts';
import type { RecordedScenario } from './recorded-traffic.ts';
import { ScenarioComparison } from './scenario-comparison.ts';
import { sendStep } from './send-step.ts';
import { commandLabel } from './u2f-request.ts';

export interface ReplayScenarioOptions {
  scenario: RecordedScenario;
  target: TokenTarget;
  /** How long a step that needs a touch waits for one. */
  presenceTimeoutMs?: number;
  /** Pause between resends while the target answers 6985. */
  retryIntervalMs?: number;
  /** Called when the target waits for a touch, with the scenario and step (`u2f.register-authenticate REGISTER`). */
  onTouchNeeded?: (where: string) => void;
}

export async function replayScenario({ scenario, target, presenceTimeoutMs, retryIntervalMs, onTouchNeeded }: ReplayScenarioOptions): Promise<ScenarioReplay> {
  let client: CtaphidClient;
  try {
    const transport = await target.openTransport();
    client = await CtaphidClient.open(transport).catch(async (error: unknown) => {
      await transport.close();
      throw error;
    });
  } catch (error) {
    return { id: scenario.id, outcome: 'error', steps: [], error: `no CTAPHID channel: ${(error as Error).message}` };
  }
  try {
    const comparison = new ScenarioComparison(scenario.id);
    for (const step of collapseRetries(scenario.exchanges)) {
      const sent = comparison.commandFor(step);
      const replayed = await sendStep(client, sent.command, {
        untilTouched: !isWaitingForTouch(step.response),
        presenceTimeoutMs,
        retryIntervalMs,
        onTouchNeeded: () => onTouchNeeded?.(`${scenario.id} ${step.step ?? commandLabel(step.command)}`),
      });
      comparison.add(step, sent, replayed);
    }
    return comparison.result();
  } finally {
    await client.close();
  }
}
