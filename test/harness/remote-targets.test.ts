// The conformance suites over the wire: UDP and USB/IP targets against `keyloop up`'s servers
// give the same results as in-process, except scenarios that need emulator control (skipped).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { suites } from '../../scenarios/index.ts';
import { runScenarios } from '../../harness/runner/index.ts';

// The token suites; the workshop suite needs an IAM target, which these runs do not have.
const allScenarios = [...suites.u2f, ...suites.ctaphid];
import { openTokenTarget, parseTokenTarget, TargetError } from '../../harness/targets/resolve.ts';
import { startTokenServers, type TokenServers } from '../../emulator/serve-token.ts';

let servers: TokenServers;

test.before(async () => {
  // Replies go to the Solo tools' fixed port 7112, which the UDP target binds.
  servers = await startTokenServers({ usbipPort: 0, udpPort: 0, controlPort: 0, devices: 2 });
});
test.after(() => servers.close());

test('with the control port, remote targets control presence: every scenario but restart runs', async () => {
  const target = await openTokenTarget(`usbip://127.0.0.1:${servers.usbip.port}/1-2?control=${servers.control!.port}`);
  try {
    assert.is(target.description.serialNumber, 'KL0000000001-2');
    const run = await runScenarios({ scenarios: allScenarios, token: target });
    const notPassed = run.scenarios.filter((s) => s.outcome !== 'pass').map((s) => `${s.id}: ${s.reason}`);
    assert.equal(notPassed, ['u2f.counter-across-restart: target usbip://127.0.0.1:' + servers.usbip.port + '/1-2 lacks restart']);
    const keys = await fetch(`http://127.0.0.1:${servers.control!.port}/keys`).then((r) => r.json());
    assert.is(keys.keys[1].presence, 'auto', 'presence restored after the run');
  } finally {
    await target.close();
  }
});

test('a control port that serves another server is not used', async () => {
  const target = await openTokenTarget(`udp://127.0.0.1:1?control=${servers.control!.port}`);
  try {
    assert.equal([...target.capabilities], []);
  } finally {
    await target.close();
  }
});

test('target strings parse, and malformed ones say what is accepted', () => {
  assert.equal(parseTokenTarget('udp://127.0.0.1:8111'), { kind: 'udp', host: '127.0.0.1', port: 8111, control: { host: '127.0.0.1', port: 3241 } });
  assert.equal(parseTokenTarget('usbip://lab-host/1-2'), { kind: 'usbip', host: 'lab-host', port: 3240, busId: '1-2' });
  assert.equal(parseTokenTarget('usbip://lab-host/1-2?control=9000'), { kind: 'usbip', host: 'lab-host', port: 3240, busId: '1-2', control: { host: 'lab-host', port: 9000 } });
  assert.equal(parseTokenTarget('usbip://[::1]:3250/1-1.3?control=off'), { kind: 'usbip', host: '::1', port: 3250, busId: '1-1.3' });
  assert.equal(parseTokenTarget('hid:/dev/hidraw3'), { kind: 'hid', path: '/dev/hidraw3' });
  for (const bad of ['usb://x', 'usbip://127.0.0.1:3240/', 'usbip://127.0.0.1:3240/abc', 'udp://h:1/path', 'nonsense', 'udp://h:1?control=x:y']) {
    assert.throws(() => parseTokenTarget(bad), (error: unknown) => error instanceof TargetError && /expected one of emulator/.test((error as Error).message), bad);
  }
});

for (const [label, spec] of [
  ['UDP', () => `udp://127.0.0.1:${servers.udp!.port}?control=off`],
  ['USB/IP', () => `usbip://127.0.0.1:${servers.usbip.port}/1-2?control=off`],
] as const) {
  test(`every scenario passes over ${label} or is skipped for lack of emulator control`, async () => {
    const target = await openTokenTarget(spec());
    try {
      const run = await runScenarios({ scenarios: allScenarios, token: target });
      const notPassed = run.scenarios.filter((s) => s.outcome !== 'pass');
      assert.equal(notPassed.filter((s) => s.outcome !== 'skip').map((s) => `${s.id}: ${s.reason}`), []);
      assert.ok(notPassed.every((s) => /lacks (presence-control|restart)/.test(s.reason ?? '')));
      assert.ok(run.totals.pass >= 24, `passed ${run.totals.pass}`);
    } finally {
      await target.close();
    }
  });
}

test('an unreachable USB/IP server fails to open with a clear error, no hang', async () => {
  const error = await openTokenTarget('usbip://127.0.0.1:1/1-1').then(() => undefined, (e: Error) => e);
  assert.ok(error);
  assert.match(error!.message, /127\.0\.0\.1:1/);
});

test.run();
