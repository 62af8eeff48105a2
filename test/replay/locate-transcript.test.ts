// Finding and loading TRANSCRIPT: a run id (latest resolved to its run), a run directory or a
// file; what is missing, empty or has nothing to replay is a ReplayError with its code.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTranscript } from '../../harness/replay/load-transcript.ts';
import { locateTranscript } from '../../harness/replay/locate-transcript.ts';
import { ReplayError, type ReplayErrorCode } from '../../harness/replay/replay-error.ts';

let reports: string;
const RUN = '20261128-173012-4821';
const line = (entry: object) => `${JSON.stringify({ t: 1, scenario: 'u2f.version', summary: '', ...entry })}\n`;

test.before(async () => {
  reports = await mkdtemp(join(tmpdir(), 'keyloop-replay-'));
  await mkdir(join(reports, RUN));
  await writeFile(join(reports, RUN, 'transcript.jsonl'), line({ kind: 'apdu', dir: 'out', hex: '00030000' }) + line({ kind: 'apdu', dir: 'in', hex: '9000' }) + '{"truncated');
  await symlink(RUN, join(reports, 'latest'));
  await mkdir(join(reports, 'empty-run'));
  await writeFile(join(reports, 'hid-only.jsonl'), line({ scenario: 'ctaphid.ping', kind: 'hid', dir: 'out', hex: '00' }));
  await writeFile(join(reports, 'blank.jsonl'), 'not json\n');
});
test.after(() => rm(reports, { recursive: true, force: true }));

const rejects = async (promise: Promise<unknown>, code: ReplayErrorCode, message: RegExp) => {
  try {
    await promise;
    assert.unreachable(`expected ${code}`);
  } catch (error) {
    assert.instance(error, ReplayError);
    assert.is((error as ReplayError).code, code);
    assert.match((error as Error).message, message);
  }
};

test('a run id, latest, a run directory and a transcript file all name the same run', async () => {
  for (const transcript of [RUN, 'latest', join(reports, RUN), join(reports, 'latest', 'transcript.jsonl')]) {
    const located = await locateTranscript({ transcript, reportsDir: reports });
    assert.is(located.runId, RUN, transcript);
    assert.ok(located.path.endsWith(join(RUN, 'transcript.jsonl')), located.path);
  }
  assert.is((await locateTranscript({ transcript: join(reports, 'hid-only.jsonl'), reportsDir: reports })).runId, 'hid-only');
});

test('loading counts unreadable lines and keeps the replayable scenarios', async () => {
  const { recorded, traffic } = await loadTranscript({ transcript: RUN, reportsDir: reports });
  assert.is(recorded.runId, RUN);
  assert.is(recorded.unreadableLines, 1);
  assert.equal(traffic.scenarios.map((scenario) => scenario.id), ['u2f.version']);
});

test('what cannot be replayed says why', async () => {
  await rejects(locateTranscript({ transcript: 'no-such-run', reportsDir: reports }), 'not-found', /no transcript 'no-such-run': not a run id under/);
  await rejects(locateTranscript({ transcript: 'empty-run', reportsDir: reports }), 'not-found', /has no transcript\.jsonl/);
  await rejects(loadTranscript({ transcript: join(reports, 'blank.jsonl'), reportsDir: reports }), 'bad-transcript', /no transcript entries \(1 unreadable lines\)/);
  await rejects(loadTranscript({ transcript: join(reports, 'hid-only.jsonl'), reportsDir: reports }), 'nothing-to-replay', /none of the 1 scenarios has U2F APDUs \(ctaphid\.ping\)/);
  await rejects(loadTranscript({ transcript: RUN, reportsDir: reports, select: ['u2f.nothing'] }), 'nothing-to-replay', /no recorded scenario matches u2f\.nothing/);
});

test.run();
