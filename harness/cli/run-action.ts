// `keyloop run`'s work, loaded only when the command runs: it pulls in the scenarios, the
// targets and the AWS SDK, which `--help` and the other commands do without.
import { mkdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { allScenarios } from '../../scenarios/index.ts';
import { isScenarioPath, loadScenarioFile, Recorder, runIdFor, runScenarios, selectScenarios, type Scenario } from '../runner/index.ts';
import { formatCleanupStep, installInterruptCleanup, summarizeCleanup } from '../iam/index.ts';
import { openIamTarget, type IamTarget } from '../targets/iam-target.ts';
import { TRANSCRIPT_FILE } from '../report/transcript-format.ts';
import { writeRunReport } from '../report/write-run.ts';
import { openTokenTarget } from '../targets/resolve.ts';
import type { TokenTarget } from '../targets/token-target.ts';
import { ExitCode } from './exit-codes.ts';
import type { RunFlags } from './run-command.ts';
import { scenarioLine, summaryLine } from './scenario-line.ts';
import { touchPrompt } from './touch-prompt.ts';

export async function run(flags: RunFlags): Promise<number> {
  const patterns = flags.select ?? [];
  let scenarios: Scenario[];
  try {
    const fromFiles = (await Promise.all(patterns.filter(isScenarioPath).map(loadScenarioFile))).flat();
    const byPattern = patterns.filter((pattern) => !isScenarioPath(pattern));
    const selected = byPattern.length > 0 || fromFiles.length === 0 ? selectScenarios(allScenarios, byPattern) : [];
    // Shipped scenarios keep their order; a file's own scenarios follow; each runs once.
    scenarios = [...new Map([...selected, ...fromFiles].map((scenario) => [scenario.id, scenario])).values()];
  } catch (error) {
    console.error(`keyloop run: ${(error as Error).message}`);
    return ExitCode.COULD_NOT_RUN;
  }
  if (scenarios.length === 0) {
    console.error(`keyloop run: no scenario matches ${flags.select.join(' ')}; try 'keyloop run --list'`);
    return ExitCode.COULD_NOT_RUN;
  }
  if (flags.list) {
    for (const scenario of scenarios) console.log(`${scenario.id.padEnd(32)} ${scenario.title}`);
    return ExitCode.PASS;
  }

  let target;
  try {
    target = await openTokenTarget(flags.token, { profilePath: flags.profile, stateDir: flags.state });
  } catch (error) {
    console.error(`keyloop run: cannot open token target: ${(error as Error).message}`);
    return ExitCode.COULD_NOT_RUN;
  }
  const runId = runIdFor(new Date());
  let iam: IamTarget | undefined;
  if (scenarios.some((scenario) => scenario.requires?.includes('iam'))) {
    try {
      iam = await openIamTarget(flags.iam, { runId });
    } catch (error) {
      console.error(`keyloop run: cannot open IAM target: ${(error as Error).message}`);
      await target.close();
      return ExitCode.COULD_NOT_RUN;
    }
  }
  // Ctrl-C removes this run's IAM resources before exiting.
  const uninstall = iam ? installInterruptCleanup({ iam, alsoClose: [target] }) : closeOnInterrupt(target);

  try {
    if (!flags.json) console.log(`keyloop run: ${scenarios.length} scenarios on token ${target.description.target}`);
    const recorder = new Recorder();
    const result = await runScenarios({
      scenarios,
      token: target,
      iam,
      runId,
      recorder,
      // Screenshots and other files scenarios keep, beside the report.
      artifactsDir: join(flags.reports, runId, 'artifacts'),
      // A person must touch a key the harness cannot control (physical, or exported by usbipd).
      touchPrompt: target.control ? undefined : touchPrompt(),
      // On a terminal, the scenario under way shows until its result line replaces it.
      onStart: flags.json || !process.stdout.isTTY ? undefined : (scenario, index, count) => process.stdout.write(`  … [${index + 1}/${count}] ${scenario.id} running`),
      onResult: flags.json ? undefined : (scenario) => console.log(`${process.stdout.isTTY ? '\r\x1b[2K' : ''}${scenarioLine(scenario)}`),
    });
    // The transcript goes in first, so the report renderers can quote it.
    await mkdir(join(flags.reports, result.runId), { recursive: true });
    await recorder.write(join(flags.reports, result.runId, TRANSCRIPT_FILE));
    const dir = await writeRunReport(result, flags.reports);
    if (flags.json) {
      console.log(JSON.stringify(result, null, 2));
    } else {
      console.log(`\n${summaryLine(result)}\nreport: ${relative(process.cwd(), dir) || dir}/report.html (also report.md, junit.xml, report.json)`);
    }
    return result.totals.fail + result.totals.error > 0 ? ExitCode.FAIL : ExitCode.PASS;
  } finally {
    if (iam) {
      const cleanup = await iam.close();
      const problems = cleanup.steps.filter((step) => step.outcome === 'failed' || step.outcome === 'refused');
      for (const step of problems) console.error(`  ${formatCleanupStep(step)}`);
      if (problems.length > 0 || iam.description.kind === 'aws') console.error(`IAM cleanup: ${summarizeCleanup(cleanup)}`);
    }
    uninstall();
    await target.close();
  }
}

/** Ctrl-C without an IAM target: close the token target (the emulator's temporary state goes with it), then stop. */
function closeOnInterrupt(target: TokenTarget): () => void {
  const onSignal = (signal: NodeJS.Signals) => {
    process.stderr.write(`keyloop run: ${signal}, stopping\n`);
    void target.close().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}
