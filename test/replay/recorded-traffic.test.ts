// Cutting a transcript into replayable steps: APDU pairing per scenario, what is not replayed,
// 6985 retry loops collapsed, and --select.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { collapseRetries } from '../../harness/replay/collapse-retries.ts';
import { NOT_REPLAYED_REASONS, recordedTraffic } from '../../harness/replay/recorded-traffic.ts';
import { ReplayError } from '../../harness/replay/replay-error.ts';
import { selectTraffic } from '../../harness/replay/select-traffic.ts';
import { apduIn, apduOut, hidReport, lines, registerApdu } from './support.ts';

const VERSION = Uint8Array.of(0, 3, 0, 0, 0, 0, 0);

test('APDUs pair up per scenario in order; HID reports of an APDU scenario are its carriers', () => {
  const traffic = recordedTraffic(lines([
    hidReport('out', 'u2f.version'),
    apduOut(VERSION, { scenario: 'u2f.version', step: 'VERSION' }),
    hidReport('in', 'u2f.version'),
    apduIn('5532465f56329000', { scenario: 'u2f.version' }),
    apduOut(registerApdu(), { scenario: 'u2f.register' }),
    apduIn('6985', { scenario: 'u2f.register' }),
  ]));
  assert.equal(traffic.scenarios.map((scenario) => scenario.id), ['u2f.version', 'u2f.register']);
  const [version] = traffic.scenarios[0].exchanges;
  assert.equal(version.command, VERSION);
  assert.is(Buffer.from(version.response!).toString('hex'), '5532465f56329000');
  assert.is(version.step, 'VERSION');
  assert.equal(version.lines, { from: 2, to: 4 });
  assert.equal([version.sentAt, version.answeredAt], [2, 4]);
  assert.equal(traffic.notReplayed, []);
});

test('a command without a recorded answer is kept; an answer without a command is a bad transcript', () => {
  const traffic = recordedTraffic(lines([apduOut(VERSION), apduOut(VERSION), apduIn('9000')]));
  assert.is(traffic.scenarios[0].exchanges.length, 2);
  assert.is(traffic.scenarios[0].exchanges[0].response, undefined);
  assert.throws(() => recordedTraffic(lines([apduIn('9000')])), (error: unknown) => error instanceof ReplayError && error.code === 'bad-transcript');
  assert.throws(() => recordedTraffic(lines([{ kind: 'apdu', dir: 'out' }])), (error: unknown) => error instanceof ReplayError && error.code === 'bad-transcript');
});

test('CTAPHID-only scenarios and HTTP messages are counted as not replayed, with the reason', () => {
  const traffic = recordedTraffic(lines([
    hidReport('out', 'ctaphid.ping'),
    hidReport('in', 'ctaphid.ping'),
    { kind: 'http', dir: 'out', scenario: 'iam.login' },
    { kind: 'http', dir: 'in', scenario: 'iam.login' },
    apduOut(VERSION, { scenario: 'u2f.version' }),
    apduIn('9000', { scenario: 'u2f.version' }),
  ]));
  assert.equal(traffic.scenarios.map((scenario) => scenario.id), ['u2f.version']);
  assert.equal(traffic.notReplayed, [
    { scenario: 'ctaphid.ping', hidReports: 2, httpMessages: 0, reason: NOT_REPLAYED_REASONS.hid },
    { scenario: 'iam.login', hidReports: 0, httpMessages: 2, reason: NOT_REPLAYED_REASONS.http },
  ]);
});

test('identical commands answered 6985 collapse into one step that ends with the last answer', () => {
  const register = registerApdu();
  const other = registerApdu({ challenge: 9 });
  const traffic = recordedTraffic(lines([
    apduOut(register), apduIn('6985'),
    apduOut(register), apduIn('6985'),
    apduOut(register), apduIn('05aa9000'),
    apduOut(other), apduIn('6985'),
    apduOut(other), apduIn('6985'),
    apduOut(VERSION), apduIn('9000'),
    apduOut(VERSION), apduIn('9000'),
  ]));
  const steps = collapseRetries(traffic.scenarios[0].exchanges);
  assert.equal(steps.map((step) => step.attempts), [3, 2, 1, 1], 'repeats answered 9000 stay separate steps');
  assert.is(Buffer.from(steps[0].response!).toString('hex'), '05aa9000');
  assert.equal(steps[0].lines, { from: 1, to: 6 });
  assert.is(steps[0].durationMs, 5);
  assert.is(Buffer.from(steps[1].response!).toString('hex'), '6985', 'a loop that never got past 6985 ends in 6985');
});

test('--select matches recorded ids like run --select: globs and suite names', () => {
  const traffic = recordedTraffic(lines([
    apduOut(VERSION, { scenario: 'u2f.version' }), apduIn('9000', { scenario: 'u2f.version' }),
    apduOut(VERSION, { scenario: 'u2f.counter-increasing' }), apduIn('9000', { scenario: 'u2f.counter-increasing' }),
    hidReport('out', 'ctaphid.ping'),
  ]));
  const ids = (patterns: string[]) => {
    const selected = selectTraffic(traffic, patterns);
    return [...selected.scenarios.map((scenario) => scenario.id), ...selected.notReplayed.map((entry) => entry.scenario)];
  };
  assert.equal(ids(['u2f.counter-*']), ['u2f.counter-increasing']);
  assert.equal(ids(['ctaphid']), ['ctaphid.ping']);
  assert.equal(ids([]), ['u2f.version', 'u2f.counter-increasing', 'ctaphid.ping']);
  assert.equal(ids(['tag:u2f']), []);
});

test.run();
