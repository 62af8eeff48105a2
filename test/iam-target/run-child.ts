// Child process of interruption.test.ts: a run against the `aws` target (pointed at the parent's
// mock by the environment) that creates a user with a key and a policy, prints `ready`, and then
// does what its mode says: `throw` fails the way a scenario would, inside the runner's
// try/finally; `interrupt` waits for SIGINT with the interrupt cleanup installed; `hang` waits to
// be killed. It does nothing when a test runner merely imports it.
import { fileURLToPath } from 'node:url';
import { installInterruptCleanup } from '../../harness/iam/interrupt-cleanup.ts';
import { openIamTarget } from '../../harness/targets/iam-target.ts';
import { selfServicePolicy } from './support.ts';

type Mode = 'throw' | 'interrupt' | 'hang';

async function run(mode: Mode, runId: string): Promise<void> {
  const target = await openIamTarget('aws', { runId });
  if (mode === 'interrupt') installInterruptCleanup({ iam: target });
  const work = async (): Promise<void> => {
    const { userName } = await target.resources.createUser('alice', { password: 'Workshop-Passw0rd!' });
    await target.resources.createAccessKey(userName);
    const policy = await target.resources.createPolicy('self-service', selfServicePolicy);
    await target.resources.attachUserPolicy(userName, policy.arn);
    process.stdout.write('ready\n');
    if (mode === 'throw') throw new Error('scenario failed in the middle');
    // Held open by a timer: a bare pending promise would let Node exit.
    await new Promise(() => setInterval(() => {}, 60_000));
  };
  if (mode !== 'throw') return work();
  try {
    await work();
  } finally {
    const report = await target.close();
    process.stdout.write(`cleanup: ${report.steps.filter((step) => step.outcome === 'done').length} steps done\n`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await run(process.argv[2] as Mode, process.argv[3]);
