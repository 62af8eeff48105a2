// The workshop suite through the runner on the emulator and the mock IAM target: the policy
// checks, the console over HTTP, the console in Chromium (skipped, saying why, where
// /usr/bin/chromium is missing) with its screenshots in the run's artifacts, and the refusals
// of a wrong origin and a cloned key.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allScenarios } from '../../scenarios/index.ts';
import { DEFAULT_CHROMIUM } from '../../harness/browser/index.ts';
import { runScenarios, selectScenarios } from '../../harness/runner/index.ts';
import { openEmulatorTarget } from '../../harness/targets/emulator-target.ts';
import { openMockIamTarget } from '../../harness/targets/mock-iam-target.ts';

const hasChromium = existsSync(DEFAULT_CHROMIUM);

test('the workshop suite passes on the emulator and the mock IAM target, screenshots kept as artifacts', async () => {
  const artifactsDir = await mkdtemp(join(tmpdir(), 'keyloop-workshop-'));
  const token = await openEmulatorTarget();
  const iam = await openMockIamTarget({ runId: 'ws-test' });
  try {
    const scenarios = selectScenarios(allScenarios, ['workshop']);
    const ids = scenarios.map((scenario) => scenario.id);
    for (const id of ['workshop.browser', 'workshop.wrong-origin', 'workshop.cloned-key']) assert.ok(ids.includes(id), `${id} is in the workshop suite`);
    const run = await runScenarios({ scenarios, token, iam, artifactsDir });
    const outcomes = Object.fromEntries(run.scenarios.map((s) => [s.id, s.outcome === 'pass' ? 'pass' : `${s.outcome}: ${s.reason}`]));
    // The guided registration needs a person and a real account; the mock skips it.
    const expectedOutcome = (id: string) =>
      id === 'workshop.guided-key' ? 'skip: targets emulator and mock lack guided-console'
      : id === 'workshop.browser' && !hasChromium ? `skip: Chromium is missing (${DEFAULT_CHROMIUM})`
      : 'pass';
    const expected = Object.fromEntries(ids.map((id) => [id, expectedOutcome(id)]));
    assert.equal(outcomes, expected);

    if (hasChromium) {
      const browser = run.scenarios.find((s) => s.id === 'workshop.browser')!;
      const shots = (await readdir(join(artifactsDir, 'workshop.browser'))).filter((name) => name.endsWith('.png')).sort();
      assert.ok(shots.length >= 10, shots.join(', '));
      assert.is(shots[0], '01-admin-console-home.png');
      const observed = browser.observations.filter((note) => note.startsWith('screenshot ')).map((note) => note.slice('screenshot '.length));
      assert.equal(observed.map((path) => path.slice(path.lastIndexOf('/') + 1)), shots);
      assert.ok(observed.every((path) => existsSync(path)));
    }
    const cloned = run.scenarios.find((s) => s.id === 'workshop.cloned-key')!;
    assert.ok(cloned.observations.some((note) => /did not increase \(stored \d+, received \d+\)/.test(note)), cloned.observations.join('\n'));
  } finally {
    const cleanup = await iam.close();
    await token.close();
    await rm(artifactsDir, { recursive: true, force: true });
    assert.ok(cleanup.steps.every((step) => step.outcome === 'done' || step.outcome === 'gone'), JSON.stringify(cleanup.steps));
  }
});

test('without Chromium the browser scenario is skipped, saying Chromium is missing', async () => {
  const token = await openEmulatorTarget();
  const iam = await openMockIamTarget({ runId: 'ws-nochrome' });
  try {
    const run = await runScenarios({ scenarios: selectScenarios(allScenarios, ['workshop.browser']), token, iam, host: new Set() });
    assert.equal(run.scenarios.map((s) => [s.id, s.outcome, s.reason]), [['workshop.browser', 'skip', `Chromium is missing (${DEFAULT_CHROMIUM})`]]);
  } finally {
    await iam.close();
    await token.close();
  }
});

test.run();
