// `keyloop replay`'s work, loaded only when the command runs.
import { relative } from 'node:path';
import { loadTranscript, notReplayedLines, replaySummaryLine, replayTranscript, ReplayError, scenarioLines, writeReplay } from '../replay/index.ts';
import type { LoadedTranscript } from '../replay/index.ts';
import { openTokenTarget } from '../targets/resolve.ts';
import type { TokenTarget } from '../targets/token-target.ts';
import { ExitCode } from './exit-codes.ts';
import type { ReplayFlags } from './replay-command.ts';

export async function replay(transcript: string, flags: ReplayFlags): Promise<number> {
  const fail = (message: string) => {
    console.error(`keyloop replay: ${message}`);
    return ExitCode.COULD_NOT_RUN;
  };
  let loaded: LoadedTranscript;
  try {
    loaded = await loadTranscript({ transcript, reportsDir: flags.reports, select: flags.select ?? [] });
  } catch (error) {
    if (error instanceof ReplayError) return fail(error.message);
    throw error;
  }

  let target: TokenTarget;
  try {
    target = await openTokenTarget(flags.token, { profilePath: flags.profile, stateDir: flags.state });
  } catch (error) {
    return fail(`cannot open token target: ${(error as Error).message}`);
  }

  try {
    const { recorded, traffic } = loaded;
    if (!flags.json) console.log(`keyloop replay: run ${recorded.runId}, ${traffic.scenarios.length} scenarios to token ${target.description.target}`);
    const result = await replayTranscript({
      recorded,
      traffic,
      target,
      presenceTimeoutMs: flags.presenceTimeout,
      onScenario: flags.json ? undefined : (scenario) => console.log(scenarioLines(scenario).join('\n')),
      onTouchNeeded: flags.json ? undefined : (where) => console.log(`    touch the key: ${where} waits for user presence`),
    });
    const file = await writeReplay({ result, reportsDir: flags.reports });
    if (flags.json) console.log(JSON.stringify(result, null, 2));
    else console.log([...notReplayedLines(result), '', replaySummaryLine(result), `replay: ${relative(process.cwd(), file) || file}`].join('\n'));
    const { totals } = result;
    if (totals.errors === totals.scenarios) return fail(`the target opened no CTAPHID channel for any scenario; is ${target.description.target} reachable?`);
    return totals.differs + totals.errors > 0 ? ExitCode.FAIL : ExitCode.PASS;
  } finally {
    await target.close();
  }
}
