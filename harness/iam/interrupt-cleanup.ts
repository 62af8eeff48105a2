// Ctrl-C (SIGINT) or SIGTERM in the middle of a run against a real account must not leave the
// run's users and policies behind. On the first signal this closes the IAM target (which removes
// the run's resources) and whatever else the runner hands over, prints what cleanup did, and
// ends the process with the shell's code for the signal (130, 143). A second signal while that is
// under way ends the process at once, naming the command that removes the leftovers later.
import type { IamTarget } from '../targets/iam-target.ts';
import { formatCleanupStep, summarizeCleanup } from './cleanup-report.ts';

const EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;
type Signal = keyof typeof EXIT_CODES;

export interface InterruptCleanupOptions {
  /** The run's IAM target: closing it removes the run's resources. */
  iam: IamTarget;
  /** Closed after the IAM target, e.g. the token target. */
  alsoClose?: ReadonlyArray<{ close(): Promise<unknown> }>;
  /** Where progress goes; stderr by default. */
  log?: (line: string) => void;
  /** How the process ends; process.exit by default. */
  exit?: (code: number) => void;
}

/** Installs the SIGINT and SIGTERM handlers; the returned function removes them (after a normal close). */
export function installInterruptCleanup({ iam, alsoClose = [], log = (line) => process.stderr.write(`${line}\n`), exit = (code) => process.exit(code) }: InterruptCleanupOptions): () => void {
  let interrupted = false;
  const later = iam.description.kind === 'aws' ? `; remove them with: keyloop cleanup --iam ${iam.description.target} --run ${iam.resources.runId}` : '';

  const onSignal = (signal: Signal): void => {
    if (interrupted) {
      log(`keyloop: ${signal} again, stopping without finishing cleanup: this run's IAM resources may be left${later}`);
      exit(EXIT_CODES[signal]);
      return;
    }
    interrupted = true;
    log(`keyloop: ${signal}, removing this run's IAM resources (${signal} again to stop at once)...`);
    void (async () => {
      try {
        const report = await iam.close();
        for (const step of report.steps.filter((each) => each.outcome === 'failed' || each.outcome === 'refused')) log(`  ${formatCleanupStep(step)}`);
        log(`keyloop: ${summarizeCleanup(report)}${report.steps.some((step) => step.outcome === 'failed') ? later : ''}`);
      } catch (error) {
        log(`keyloop: cleanup failed: ${(error as Error).message}${later}`);
      }
      await Promise.allSettled(alsoClose.map((each) => each.close()));
      exit(EXIT_CODES[signal]);
    })();
  };

  const handlers = (Object.keys(EXIT_CODES) as Signal[]).map((signal) => [signal, () => onSignal(signal)] as const);
  for (const [signal, handler] of handlers) process.on(signal, handler);
  return () => {
    for (const [signal, handler] of handlers) process.off(signal, handler);
  };
}
