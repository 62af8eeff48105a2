// Replay end to end: a run recorded on one emulator, replayed to another device (new keys), to
// the faulty profile, and over USB/IP; then written as replay.json.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTokenServers } from '../../emulator/serve-token.ts';
import { Field } from '../../harness/replay/fields.ts';
import { loadTranscript, type LoadedTranscript } from '../../harness/replay/load-transcript.ts';
import type { ReplayResult } from '../../harness/replay/model.ts';
import { NOT_REPLAYED_REASONS } from '../../harness/replay/recorded-traffic.ts';
import { replayTranscript } from '../../harness/replay/replay-transcript.ts';
import { writeReplay } from '../../harness/replay/write-replay.ts';
import { openEmulatorTarget } from '../../harness/targets/emulator-target.ts';
import { openTokenTarget } from '../../harness/targets/resolve.ts';
import type { TokenTarget } from '../../harness/targets/token-target.ts';
import { recordRun } from './record-run.ts';

let reports: string;
let loaded: LoadedTranscript;

test.before(async () => {
  reports = await mkdtemp(join(tmpdir(), 'keyloop-replay-'));
  loaded = await loadTranscript({ transcript: await recordRun(reports), reportsDir: reports });
});
test.after(() => rm(reports, { recursive: true, force: true }));

async function replayTo(target: TokenTarget): Promise<ReplayResult> {
  try {
    return await replayTranscript({ ...loaded, target, presenceTimeoutMs: 1_000 });
  } finally {
    await target.close();
  }
}

const differences = (result: ReplayResult) =>
  result.scenarios.flatMap((scenario) => scenario.steps.flatMap((step) => step.differences.map((d) => ({ scenario: scenario.id, command: step.command, ...d }))));

test('another device (new state dir, new keys): no differences, handles mapped, CTAPHID scenario counted', async () => {
  const result = await replayTo(await openEmulatorTarget({ stateDir: join(reports, 'other-device') }));
  assert.equal(differences(result), []);
  assert.equal(result.totals, { scenarios: 6, same: 6, differs: 0, errors: 0, steps: 15, differences: 0, notReplayed: 1 });
  const authenticates = result.scenarios.flatMap((scenario) => scenario.steps).filter((step) => step.command.startsWith('AUTHENTICATE'));
  assert.is(authenticates.length, 7);
  assert.ok(authenticates.every((step) => step.keyHandleSubstituted && step.replayed.fields[Field.STATUS_WORD] !== undefined));
  const counters = result.scenarios.find((scenario) => scenario.id === 'u2f.counter-increasing')!.steps.slice(1).map((step) => step.replayed.fields[Field.COUNTER_ORDER]);
  assert.equal(counters, ['first in scenario', 'increased', 'increased', 'increased', 'increased']);
  assert.equal(result.notReplayed.map(({ scenario, reason }) => ({ scenario, reason })), [{ scenario: 'ctaphid.ping', reason: NOT_REPLAYED_REASONS.hid }]);
  assert.ok(result.notReplayed[0].hidReports > 0);
  assert.ok(result.scenarios.every((scenario) => scenario.medianTimingRatio !== undefined), 'recorded times give ratios');
});

test('the faulty profile: exactly VERSION answering 6D00 and AUTHENTICATE signatures that do not verify', async () => {
  const result = await replayTo(await openEmulatorTarget({ profilePath: 'fixtures/profiles/faulty.json' }));
  const found = differences(result);
  const versionSteps = result.scenarios.flatMap((scenario) => scenario.steps).filter((step) => step.command.startsWith('VERSION'));
  const signingSteps = result.scenarios.flatMap((scenario) => scenario.steps).filter((step) => step.recorded.fields[Field.SIGNATURE] !== undefined);
  assert.is(found.length, versionSteps.length + signingSteps.length);
  for (const difference of found) {
    const expected = difference.command.startsWith('VERSION')
      ? { field: Field.STATUS_WORD, replayed: '6D00 INS_NOT_SUPPORTED' }
      : { field: Field.SIGNATURE, recorded: 'verifies', replayed: 'does not verify' };
    assert.equal({ ...difference, ...expected }, difference, JSON.stringify(difference));
  }
  assert.equal(
    found.filter((d) => d.field === Field.STATUS_WORD).map((d) => `${d.scenario} ${d.command}: ${d.recorded}`),
    ['u2f.version VERSION: 9000 NO_ERROR', 'u2f.bad-cla VERSION CLA 80: 6E00 CLA_NOT_SUPPORTED', 'u2f.short-apdu VERSION: 9000 NO_ERROR'],
  );
  assert.is(found.filter((d) => d.field === Field.SIGNATURE).length, 6, 'register-authenticate once, counter-increasing five times');
  assert.equal(result.scenarios.filter((scenario) => scenario.outcome === 'same').map((scenario) => scenario.id), ['u2f.check-only-own']);
});

test('over USB/IP to a served emulator: no differences', async () => {
  const servers = await startTokenServers({ usbipPort: 0, udpPort: null, controlPort: null });
  try {
    const result = await replayTo(await openTokenTarget(`usbip://127.0.0.1:${servers.usbip.port}/1-1?control=off`));
    assert.is(result.target.kind, 'usbip');
    assert.equal(differences(result), []);
    assert.is(result.totals.same, 6);
  } finally {
    await servers.close();
  }
});

test('a target that opens no channel: every scenario is an error with the reason', async () => {
  const unplugged: TokenTarget = {
    description: { target: 'usbip://127.0.0.1:1/1-1', kind: 'usbip' },
    capabilities: new Set(),
    openTransport: () => Promise.reject(new Error('connect ECONNREFUSED')),
    close: async () => undefined,
  };
  const result = await replayTo(unplugged);
  assert.is(result.totals.errors, 6);
  assert.equal(result.scenarios[0].error, 'no CTAPHID channel: connect ECONNREFUSED');
});

test('replay.json goes to reports/replay-<run-id>-<target>/', async () => {
  const result = await replayTo(await openEmulatorTarget());
  const file = await writeReplay({ result, reportsDir: reports });
  assert.is(file, join(reports, `replay-${loaded.recorded.runId}-emulator`, 'replay.json'));
  assert.equal(JSON.parse(await readFile(file, 'utf8')), JSON.parse(JSON.stringify(result)));
});

test.run();
