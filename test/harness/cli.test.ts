// The keyloop CLI as a user runs it: a child process, its output, its exit code, its report.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runKeyloop, type KeyloopOutcome } from '../support/keyloop-process.ts';

test('run prints a line per scenario, a summary, writes the report and exits 0', async () => {
  const reports = await mkdtemp(join(tmpdir(), 'keyloop-reports-'));
  try {
    const { code, stdout } = await runKeyloop('run', '--select', 'u2f.version', 'u2f.register-authenticate', '--reports', reports);
    assert.is(code, 0, stdout);
    assert.match(stdout, /✓ u2f\.version/);
    assert.match(stdout, /✓ u2f\.register-authenticate/);
    assert.match(stdout, /2 scenarios: 2 passed, 0 failed/);
    const runId = await readlink(join(reports, 'latest'));
    const report = JSON.parse(await readFile(join(reports, runId, 'report.json'), 'utf8'));
    assert.is(report.scenarios.length, 2);
    assert.is(report.totals.pass, 2);
  } finally {
    await rm(reports, { recursive: true, force: true });
  }
});

test('--json prints the run result as JSON', async () => {
  const reports = await mkdtemp(join(tmpdir(), 'keyloop-reports-'));
  try {
    const { code, stdout } = await runKeyloop('run', '--select', 'u2f.version', '--json', '--reports', reports);
    assert.is(code, 0);
    assert.is(JSON.parse(stdout).scenarios[0].id, 'u2f.version');
  } finally {
    await rm(reports, { recursive: true, force: true });
  }
});

test('--select takes a scenario file: the scenarios it exports run, with the shipped selection', async () => {
  const reports = await mkdtemp(join(tmpdir(), 'keyloop-reports-'));
  try {
    const { code, stdout } = await runKeyloop('run', '--select', 'scenarios/u2f/counter.ts', 'u2f.version', '--reports', reports);
    assert.is(code, 0, stdout);
    assert.match(stdout, /3 scenarios: 3 passed/);
    assert.match(stdout, /u2f\.counter-across-restart/);
    const missing = await runKeyloop('run', '--select', 'scenarios/none.ts');
    assert.is(missing.code, 2);
    const empty = await runKeyloop('run', '--select', 'scenarios/u2f/support.ts');
    assert.is(empty.code, 2);
    assert.match(empty.stderr, /exports no scenario/);
  } finally {
    await rm(reports, { recursive: true, force: true });
  }
});

test('an unknown target or selection exits 2 with a message saying what is accepted', async () => {
  const target = await runKeyloop('run', '--token', 'bluetooth');
  assert.is(target.code, 2);
  assert.match(target.stderr, /token target 'bluetooth': not a known form; expected one of emulator/);
  const selection = await runKeyloop('run', '--select', 'no.such.scenario');
  assert.is(selection.code, 2);
  assert.match(selection.stderr, /no scenario matches/);
});

test('a failing token exits 1 with the reason under the scenario line', async () => {
  const { code, stdout } = await runKeyloop('run', '--select', 'u2f.version', '--profile', 'test/harness/fixtures/broken-version.json', '--reports', await mkdtemp(join(tmpdir(), 'keyloop-reports-')));
  assert.is(code, 1, stdout);
  assert.match(stdout, /✗ u2f\.version/);
  assert.match(stdout, /expected "U2F_V2", got/);
});

/** Start a long-running command, wait until `ready` shows in its output, stop it with SIGINT. */
function serveUntil(args: string[], ready: RegExp): Promise<KeyloopOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/keyloop.js', ...args], { env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    // Generous: under a loaded CI machine the CLI alone can take seconds to load.
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`no ${ready} in: ${stdout} ${stderr}`)); }, 60_000);
    let stopping = false;
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      if (!stopping && ready.test(stdout)) {
        stopping = true;
        child.kill('SIGINT');
      }
    });
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, stdout: `${stdout}${signal ? `\n(killed by ${signal})` : ''}`, stderr });
    });
  });
}

test('up prints every endpoint, serves IAM too, and stops cleanly on Ctrl-C', async () => {
  const { code, stdout, stderr } = await serveUntil(['up', '--usbip-port', '0', '--udp-port', 'off', '--control-port', '0', '--iam-port', '0', '--devices', '2'], /stop: Ctrl-C/);
  assert.is(code, 0, `${stdout}\n${stderr}`);
  assert.match(stdout, /USB\/IP\s+127\.0\.0\.1:\d+\s+bus ids 1-1, 1-2/);
  assert.not.match(stdout, /UDP/);
  assert.match(stdout, /control\s+http:\/\/127\.0\.0\.1:\d+\/keys/);
  assert.match(stdout, /IAM \+ STS\s+http:\/\/127\.0\.0\.1:\d+\s+\(account 123456789012/);
  assert.match(stdout, /AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE/);
  assert.match(stdout, /stopping/);
});

test('Ctrl-C in the middle of a run closes the token target and exits 130', async () => {
  const { code, stderr } = await serveUntil(['run', '--select', 'u2f.presence-delayed', 'ctaphid.msg-timeout', 'u2f.presence-manual', '--reports', await mkdtemp(join(tmpdir(), 'keyloop-reports-'))], /scenarios on token emulator/);
  assert.is(code, 130, stderr);
  assert.match(stderr, /SIGINT, stopping/);
});

test('iam serves alone; bad flags exit 2 with one clear line', async () => {
  const iam = await serveUntil(['iam', '--iam-port', '0', '--account', '111122223333'], /list-users/);
  assert.is(iam.code, 0);
  assert.match(iam.stdout, /account 111122223333/);
  const badPort = await runKeyloop('up', '--usbip-port', '70000');
  assert.is(badPort.code, 1);
  assert.match(badPort.stderr, /expected a port number/);
  const badPresence = await runKeyloop('up', '--presence', 'sometimes');
  assert.match(badPresence.stderr, /sometimes/);
  const halfKey = await runKeyloop('iam', '--iam-port', '0', '--access-key-id', 'AKIAEXAMPLE');
  assert.is(halfKey.code, 2);
  assert.match(halfKey.stderr, /go together/);
});

test.run();
