// workshop.guided-key through the `aws` target (pointed at the mock the way a real account is
// reached), with the "person" played by a timer that registers a key in the mock's store while
// the harness waits: the scenario sees it through ListMFADevices and passes.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runScenarios, selectScenarios } from '../../harness/runner/index.ts';
import { openEmulatorTarget } from '../../harness/targets/emulator-target.ts';
import { openIamTarget } from '../../harness/targets/iam-target.ts';
import { allScenarios } from '../../scenarios/index.ts';
import { addSecurityKey, awsEnvFor, setEnv, startServer } from '../iam-target/support.ts';

test('the guided registration waits for the key a person assigns, then finds it as the user', async () => {
  const server = await startServer();
  const restoreEnv = setEnv(awsEnvFor(server));
  const token = await openEmulatorTarget();
  const iam = await openIamTarget('aws', { runId: 'guided-test' });
  const person = setInterval(() => {
    const user = server.store.users.list('/').find((u) => u.userName.endsWith('-guided-user'));
    if (!user) return;
    clearInterval(person);
    addSecurityKey(server, user.userName, 'keyloop-key');
  }, 200);
  try {
    assert.ok(iam.capabilities.has('guided-console'));
    const run = await runScenarios({ scenarios: selectScenarios(allScenarios, ['workshop.guided-key']), token, iam });
    const [result] = run.scenarios;
    assert.is(result.outcome, 'pass', result.reason);
    assert.ok(result.observations.some((note) => /registered arn:aws:iam::123456789012:u2f\/user\/keyloop-guided-test-guided-user\/keyloop-key-/.test(note)), result.observations.join('\n'));
  } finally {
    clearInterval(person);
    await iam.close();
    await token.close();
    restoreEnv();
    await server.close();
  }
});

test.run();
