// The runner against the in-process emulator: real scenarios pass, skips carry reasons, a
// scenario that breaks its expectation fails with expected vs actual, time limits hold.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { allScenarios } from '../../scenarios/index.ts';
import { defineScenario, runScenarios, selectScenarios, type Scenario } from '../../harness/runner/index.ts';
import { openEmulatorTarget } from '../../harness/targets/emulator-target.ts';
import { openMockIamTarget } from '../../harness/targets/mock-iam-target.ts';
import type { TokenTarget } from '../../harness/targets/token-target.ts';

async function withEmulator<T>(body: (target: TokenTarget) => Promise<T>): Promise<T> {
  const target = await openEmulatorTarget();
  try {
    return await body(target);
  } finally {
    await target.close();
  }
}

test('every shipped scenario passes on the emulator and the mock IAM target', async () => {
  const iam = await openMockIamTarget({ runId: 'runner-all' });
  try {
    const run = await withEmulator((token) => runScenarios({ scenarios: allScenarios, token, iam }));
    // The guided registration needs a person and a real account: the mock skips it.
    const bad = run.scenarios.filter((s) => s.outcome !== 'pass' && s.id !== 'workshop.guided-key').map((s) => `${s.id}: ${s.outcome} ${s.reason}`);
    assert.equal(bad, []);
    assert.is(run.totals.pass, allScenarios.length - 1);
    assert.match(run.scenarios.find((s) => s.id === 'workshop.guided-key')?.reason ?? '', /lack guided-console/);
    assert.is(run.iam?.target, 'mock');
  } finally {
    const cleanup = await iam.close();
    assert.ok(cleanup.steps.every((step) => step.outcome === 'done' || step.outcome === 'gone'), JSON.stringify(cleanup.steps));
  }
});

test('without an IAM target the workshop suite is skipped, saying so', async () => {
  const run = await withEmulator((token) => runScenarios({ scenarios: selectScenarios(allScenarios, ['workshop']), token }));
  assert.ok(run.scenarios.length >= 3);
  assert.ok(run.scenarios.every((s) => s.outcome === 'skip' && s.reason === 'no IAM target (--iam)'));
});

test('the faulty profile fails exactly the scenarios its faults touch, each with its reason', async () => {
  const target = await openEmulatorTarget({ profilePath: 'fixtures/profiles/faulty.json' });
  let run;
  try {
    run = await runScenarios({ scenarios: allScenarios, token: target });
  } finally {
    await target.close();
  }
  const failed = Object.fromEntries(run.scenarios.filter((s) => s.outcome === 'fail' || s.outcome === 'error').map((s) => [s.id, s.reason]));
  assert.equal(Object.keys(failed).sort(), [
    'u2f.bad-cla', 'u2f.counter-across-restart', 'u2f.counter-increasing', 'u2f.dont-enforce-presence',
    'u2f.register-authenticate', 'u2f.short-apdu', 'u2f.version', 'u2f.wrong-length',
  ]);
  assert.match(failed['u2f.version'] ?? '', /6D00 INS_NOT_SUPPORTED/);
  assert.match(failed['u2f.register-authenticate'] ?? '', /assertion signature verifies with node:crypto/);
  assert.match(failed['u2f.bad-cla'] ?? '', /expected 6E00 CLA_NOT_SUPPORTED, got 6D00/);
  assert.ok(run.scenarios.filter((s) => s.id.startsWith('ctaphid.')).every((s) => s.outcome === 'pass'));
});

test('a scenario needing a missing capability is skipped with the reason', async () => {
  const needsRestart = defineScenario({ id: 'x.restart', title: 't', requires: ['restart'], run: async () => undefined });
  const run = await withEmulator((target) => runScenarios({ scenarios: [needsRestart], token: { ...target, capabilities: new Set() } }));
  assert.is(run.scenarios[0].outcome, 'skip');
  assert.match(run.scenarios[0].reason ?? '', /lacks restart/);
});

test('a broken expectation fails with expected and actual; a thrown bug is an error', async () => {
  const wrong = defineScenario({
    id: 'x.wrong',
    title: 'expects the wrong version',
    async run({ token, expect, step }) {
      const u2f = await token.u2f();
      expect.equal(await step('VERSION', () => u2f.version()), 'U2F_V3', 'version string');
    },
  });
  const bug = defineScenario({ id: 'x.bug', title: 'throws', run: async () => { throw new TypeError('oops'); } });
  const run = await withEmulator((token) => runScenarios({ scenarios: [wrong, bug], token }));
  assert.is(run.scenarios[0].outcome, 'fail');
  assert.is(run.scenarios[0].expected, '"U2F_V3"');
  assert.is(run.scenarios[0].actual, '"U2F_V2"');
  assert.equal(run.scenarios[0].steps.map((s) => [s.name, s.outcome]), [['VERSION', 'pass']]);
  assert.is(run.scenarios[1].outcome, 'error');
  assert.equal(run.totals, { pass: 0, fail: 1, skip: 0, error: 1 });
});

test('a scenario over its time limit fails and its transports are closed', async () => {
  const slow: Scenario = defineScenario({
    id: 'x.slow',
    title: 'never ends',
    timeoutMs: 100,
    async run({ token }) {
      const transport = await token.transport();
      await transport.read(10_000);
    },
  });
  const start = performance.now();
  const run = await withEmulator((token) => runScenarios({ scenarios: [slow], token }));
  assert.ok(performance.now() - start < 2_000);
  assert.is(run.scenarios[0].outcome, 'fail');
  assert.match(run.scenarios[0].reason ?? '', /time limit/);
});

test('a touch prompt is shown while the key waits for presence and closed when it ends', async () => {
  const events: string[] = [];
  const touchPrompt = (scenario: string, operation: string) => {
    events.push(`ask ${scenario} ${operation}`);
    return () => events.push('done');
  };
  const delayed = selectScenarios(allScenarios, ['u2f.presence-delayed', 'u2f.version']);
  const run = await withEmulator((token) => runScenarios({ scenarios: delayed, token, touchPrompt }));
  assert.is(run.totals.pass, 2);
  assert.equal(events, ['ask u2f.presence-delayed REGISTER', 'done']);
});

test('selection by id glob, suite and tag', () => {
  const ids = (patterns: string[]) => selectScenarios(allScenarios, patterns).map((s) => s.id);
  assert.ok(ids(['u2f.counter-*']).every((id) => id.startsWith('u2f.counter-')));
  assert.ok(ids(['u2f.counter-*']).length >= 2);
  assert.ok(ids(['ctaphid']).every((id) => id.startsWith('ctaphid.')));
  assert.ok(ids(['tag:presence']).includes('u2f.presence-denied'));
  assert.equal(ids(['nothing-like-this']), []);
});

test.run();
