// Property tests of the CTAPHID device (CTAP 2.1 section 11.2) against random and malformed
// report sequences: it never throws, always recovers, and hands the applet only well-formed MSGs.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { CtaphidCommand } from '../../emulator/ctaphid/constants.ts';
import { fragmentMessage } from '../../emulator/ctaphid/framing.ts';
import { completeMessages } from '../../fuzz/generators/ctaphid-reassembly.ts';
import { type CtaphidStep, ctaphidStep, garbageReport, isAllocation, stepReports } from '../../fuzz/generators/ctaphid-reports.ts';
import { DeviceRig, NONCE, echoApplet } from './helpers.ts';

const { PING, MSG, LOCK, INIT } = CtaphidCommand;

const step = ctaphidStep({ payload: fc.uint8Array({ maxLength: 400 }) });
/** Every run starts with channels 1, 2 and 3 allocated, so that most packets reach real channels. */
const opening: CtaphidStep<Uint8Array>[] = [1, 2, 3].map(() => ({ kind: 'allocate', settle: true }));
const bytes = (payload: Uint8Array) => payload;

test('random and malformed sequences: no throw, only well-formed MSGs reach the applet, INIT+PING still work', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(step, { maxLength: 30 }), async (steps) => {
      const applet = echoApplet();
      const rig = new DeviceRig(applet);
      const fed: Uint8Array[] = [];
      try {
        for (const each of [...opening, ...steps]) {
          for (const r of stepReports(each, bytes)) {
            fed.push(r);
            rig.device.receive(r);
          }
          if (each.settle) await Promise.resolve();
        }
        await new Promise((resolve) => setImmediate(resolve));
        assert.ok(rig.sent.every((r) => r.length === 64), 'every report sent is 64 bytes');
        const allowed = completeMessages(fed);
        for (const call of applet.calls) {
          assert.ok(allowed.has(Buffer.from(call).toString('hex')), `applet called with ${call.length} unexpected bytes`);
        }
        // Recover as the hosts would: resync every channel that may exist and release any lock.
        const allocations = fed.filter(isAllocation).length;
        for (let cid = 1; cid <= allocations; cid++) {
          rig.send(cid, INIT, NONCE);
          rig.send(cid, LOCK, Uint8Array.of(0));
        }
        rig.take();
        const cid = rig.open();
        rig.send(cid, PING, Uint8Array.of(1, 2, 3));
        assert.equal(rig.take(), [{ cid, command: PING, payload: Uint8Array.of(1, 2, 3) }]);
      } finally {
        rig.close();
      }
    }),
    { numRuns: 300 },
  );
});

test('a well-formed MSG among noise on other channels reaches the applet intact', async () => {
  await fc.assert(
    fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 1000 }), fc.array(garbageReport, { maxLength: 20 }), async (payload, noise) => {
      const applet = echoApplet();
      const rig = new DeviceRig(applet);
      try {
        const cid = rig.open();
        const reports = fragmentMessage(cid, MSG, payload);
        // Noise only ever on CIDs other than ours; a stray init packet there must not disturb us.
        const others = noise.map((r) => {
          const moved = r.slice();
          if (moved.length >= 4 && new DataView(moved.buffer).getUint32(0) === cid) moved[0] = 0x80;
          return moved;
        });
        reports.forEach((r, i) => {
          rig.device.receive(r);
          if (others[i]) rig.device.receive(others[i]);
        });
        await new Promise((resolve) => setImmediate(resolve));
        assert.equal(applet.calls, [payload]);
        assert.equal(rig.take().filter((m) => m.cid === cid), [{ cid, command: MSG, payload }]);
      } finally {
        rig.close();
      }
    }),
    { numRuns: 200 },
  );
});

test.run();
