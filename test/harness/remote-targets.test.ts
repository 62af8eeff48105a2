// The conformance suites over the wire: UDP and USB/IP targets against `keyloop up`'s servers
// give the same results as in-process, except scenarios that need emulator control (skipped).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { allScenarios } from '../../scenarios/index.ts';
import { runScenarios } from '../../harness/runner/index.ts';
import { openTokenTarget, parseTokenTarget, TargetError } from '../../harness/targets/resolve.ts';
import { startTokenServers, type TokenServers } from '../../emulator/serve-token.ts';

let servers: TokenServers;

test.before(async () => {
  // Replies go to the Solo tools' fixed port 7112, which the UDP target binds.
  servers = await startTokenServers({ usbipPort: 0, udpPort: 0, controlPort: null, devices: 2 });
});
test.after(() => servers.close());

test('target strings parse, and malformed ones say what is accepted', () => {
  assert.equal(parseTokenTarget('udp://127.0.0.1:8111'), { kind: 'udp', host: '127.0.0.1', port: 8111 });
  assert.equal(parseTokenTarget('usbip://lab-host/1-2'), { kind: 'usbip', host: 'lab-host', port: 3240, busId: '1-2' });
  assert.equal(parseTokenTarget('usbip://[::1]:3241/1-1.3'), { kind: 'usbip', host: '::1', port: 3241, busId: '1-1.3' });
  assert.equal(parseTokenTarget('hid:/dev/hidraw3'), { kind: 'hid', path: '/dev/hidraw3' });
  for (const bad of ['usb://x', 'usbip://127.0.0.1:3240/', 'usbip://127.0.0.1:3240/abc', 'udp://h:1/path', 'nonsense']) {
    assert.throws(() => parseTokenTarget(bad), (error: unknown) => error instanceof TargetError && /expected one of emulator/.test((error as Error).message), bad);
  }
});

for (const [label, spec] of [
  ['UDP', () => `udp://127.0.0.1:${servers.udp!.port}`],
  ['USB/IP', () => `usbip://127.0.0.1:${servers.usbip.port}/1-2`],
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
