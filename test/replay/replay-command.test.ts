// `keyloop replay` as a user runs it: a child process, its lines, its JSON, its exit code.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Command } from 'commander';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerReplayCommand } from '../../harness/cli/replay-command.ts';
import { recordRun } from './record-run.ts';
import { runKeyloop } from '../support/keyloop-process.ts';

let reports: string;
let runId: string;

test.before(async () => {
  reports = await mkdtemp(join(tmpdir(), 'keyloop-replay-cli-'));
  runId = await recordRun(reports, ['u2f.version', 'u2f.register-authenticate', 'ctaphid.ping']);
});
test.after(() => rm(reports, { recursive: true, force: true }));

// One test, the commands in parallel: each child process pays tsx's start-up. The faulty replay
// writes under its own reports directory: both targets are `emulator`, so they share a directory name.
test('exit 0 when alike, 1 with each difference on its line', async () => {
  const faultyReports = join(reports, 'faulty');
  const [same, faulty] = await Promise.all([
    runKeyloop('replay', runId, '--reports', reports, '--json'),
    runKeyloop('replay', join(reports, runId), '--reports', faultyReports, '--profile', 'fixtures/profiles/faulty.json'),
  ]);

  assert.is(same.code, 0, same.stderr);
  const result = JSON.parse(same.stdout);
  assert.equal(result.totals, { scenarios: 2, same: 2, differs: 0, errors: 0, steps: 3, differences: 0, notReplayed: 1 });
  const written = JSON.parse(await readFile(join(reports, `replay-${runId}-emulator`, 'replay.json'), 'utf8'));
  assert.equal(written, result);

  assert.is(faulty.code, 1, faulty.stderr);
  assert.match(faulty.stdout, /≠ u2f\.version/);
  assert.match(faulty.stdout, /step 1 VERSION \(VERSION\): status word: recorded 9000 NO_ERROR, replayed 6D00 INS_NOT_SUPPORTED/);
  assert.match(faulty.stdout, /step 2 AUTHENTICATE P1 03 \(AUTHENTICATE\): signature: recorded verifies, replayed does not verify/);
  assert.match(faulty.stdout, /not replayed: 1 CTAPHID scenario\(s\), \d+ HID reports \(ctaphid\.ping\)/);
  assert.match(faulty.stdout, /2 scenarios: 0 same, 2 differ; 2 difference\(s\) in 3 steps/);
  assert.match(faulty.stdout, new RegExp(`replay: .*faulty/replay-${runId}-emulator/replay\\.json`));
});

/** Run `keyloop replay ARGS` in this process; its exit code and what it printed to stderr. */
async function replayInProcess(...args: string[]): Promise<{ code: number | undefined; stderr: string }> {
  const program = new Command();
  registerReplayCommand(program);
  const printError = console.error;
  let stderr = '';
  console.error = (line: string) => { stderr += `${line}\n`; };
  try {
    await program.parseAsync(['replay', ...args], { from: 'user' });
    return { code: process.exitCode === undefined ? undefined : Number(process.exitCode), stderr };
  } finally {
    console.error = printError;
    process.exitCode = undefined;
  }
}

test('exit 2 with one clear line when the transcript or the target is not there', async () => {
  const missing = await replayInProcess('no-such-run', '--reports', reports);
  assert.equal(missing, { code: 2, stderr: `keyloop replay: no transcript 'no-such-run': not a run id under ${reports}/, a run directory, or a transcript.jsonl file\n` });
  const unreachable = await replayInProcess(runId, '--reports', reports, '--token', 'usbip://127.0.0.1:1/1-1?control=off');
  assert.is(unreachable.code, 2);
  assert.match(unreachable.stderr, /^keyloop replay: cannot open token target: /);
});

test('--help explains key handles, touches, what is compared and the exit codes', () => {
  const program = new Command();
  registerReplayCommand(program);
  let help = '';
  const replay = program.commands.find((command) => command.name() === 'replay')!;
  replay.configureOutput({ writeOut: (text) => { help += text; } });
  replay.outputHelp();
  for (const topic of [/key handles:/, /touches:/, /compared:/, /CTAPHID-only scenarios/, /Exit codes: 0 no differences, 1 differences/]) assert.match(help, topic);
});

test.run();
