// The hid target through node-hid's layer, pointed at a fake device that replays a transcript
// recorded from the emulator: the same scenarios pass on it, and key choice errors are clear.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { allScenarios } from '../../scenarios/index.ts';
import { Recorder, runScenarios, selectScenarios } from '../../harness/runner/index.ts';
import { openEmulatorTarget } from '../../harness/targets/emulator-target.ts';
import { openHidTarget } from '../../harness/targets/hid-target.ts';
import { TargetError } from '../../harness/targets/target-error.ts';
import type { HidBackend } from '../../harness/transports/hid.ts';
import { replayingHidBackend } from '../support/replaying-hid-backend.ts';

// Scenarios whose traffic does not depend on random challenges or on timing, so a recording replays.
const deterministic = selectScenarios(allScenarios, ['u2f.version', 'u2f.bad-cla', 'u2f.bad-ins', 'ctaphid.ping', 'ctaphid.invalid-cmd', 'ctaphid.invalid-channel', 'ctaphid.wink']);
const device = { path: '/dev/hidraw7', vendorId: 0x1050, productId: 0x0120, product: 'Recorded Key' };

test('scenarios pass on a fake hid device replaying what the emulator did', async () => {
  const recorder = new Recorder();
  const emulator = await openEmulatorTarget();
  try {
    const recorded = await runScenarios({ scenarios: deterministic, token: emulator, recorder });
    assert.is(recorded.totals.pass, deterministic.length);
  } finally {
    await emulator.close();
  }
  const replaying = replayingHidBackend(recorder.entries, device);
  const target = await openHidTarget({ backend: replaying.backend });
  try {
    assert.is(target.description.target, 'hid:/dev/hidraw7');
    assert.is(target.description.vendorId, 0x1050);
    const run = await runScenarios({ scenarios: deterministic, token: target });
    assert.equal(run.scenarios.filter((s) => s.outcome !== 'pass').map((s) => `${s.id}: ${s.reason}`), []);
    assert.equal(replaying.mismatches, []);
  } finally {
    await target.close();
  }
});

test('hid alone refuses to guess: no key, or several, is a clear error naming them', async () => {
  const backend = (count: number): HidBackend => ({
    devices: async () => Array.from({ length: count }, (_, i) => ({ path: `/dev/hidraw${i}`, vendorId: 0x1050, productId: 0x0407, usagePage: 0xf1d0, product: `Key ${i}` })),
    open: async () => { throw new Error('not opened'); },
  });
  const none = await openHidTarget({ backend: backend(0) }).catch((e) => e);
  assert.instance(none, TargetError);
  assert.match(none.message, /no FIDO key found/);
  const two = await openHidTarget({ backend: backend(2) }).catch((e) => e);
  assert.match(two.message, /2 FIDO keys present.*hid:\/dev\/hidraw0.*hid:\/dev\/hidraw1/);
  const wrong = await openHidTarget({ backend: backend(2), path: '/dev/hidraw9' }).catch((e) => e);
  assert.match(wrong.message, /no FIDO key at \/dev\/hidraw9/);
});

test.run();
