// Property tests of the CTAPHID device (CTAP 2.1 section 11.2) against random and malformed
// report sequences: it never throws, always recovers, and hands the applet only well-formed MSGs.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { BROADCAST_CID, CtaphidCommand, MAX_MESSAGE_SIZE } from '../../emulator/ctaphid/constants.ts';
import { fragmentMessage } from '../../emulator/ctaphid/framing.ts';
import { DeviceRig, NONCE, echoApplet } from './helpers.ts';

const { PING, MSG, LOCK, INIT, WINK, CANCEL, CBOR, KEEPALIVE, ERROR } = CtaphidCommand;

// counterRandom allocates 1, 2, 3, ...: aim mostly at those, and at the reserved and unknown CIDs.
const cidArb = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 1, max: 4 }) },
  { weight: 2, arbitrary: fc.constantFrom(0, BROADCAST_CID) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 0xffffffff }) },
);
const commandArb = fc.oneof(
  { weight: 4, arbitrary: fc.constant(MSG) },
  { weight: 4, arbitrary: fc.constantFrom(PING, LOCK, INIT, WINK, CANCEL, CBOR, KEEPALIVE, ERROR) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 0x7f }) },
);
const lengthArb = fc.oneof(fc.integer({ min: 0, max: 130 }), fc.constantFrom(8, 1, MAX_MESSAGE_SIZE, MAX_MESSAGE_SIZE + 1), fc.integer({ min: 0, max: 0xffff }));

function report(header: number[], data: Uint8Array): Uint8Array {
  const r = new Uint8Array(64);
  r.set(header);
  r.set(data.subarray(0, 64 - header.length), header.length);
  return r;
}
const be32 = (n: number) => [n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];

const initPacket = fc
  .tuple(cidArb, commandArb, lengthArb, fc.uint8Array({ maxLength: 57 }))
  .map(([cid, cmd, length, data]) => [report([...be32(cid), 0x80 | cmd, length >> 8, length & 0xff], data)]);
const continuation = fc
  .tuple(cidArb, fc.oneof(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 0x7f })), fc.uint8Array({ maxLength: 59 }))
  .map(([cid, seq, data]) => [report([...be32(cid), seq], data)]);
const wholeMessage = fc
  .tuple(cidArb, commandArb, fc.uint8Array({ maxLength: 300 }))
  .map(([cid, cmd, payload]) => fragmentMessage(cid, cmd, cmd === INIT ? NONCE : payload));
// A multi-packet message with one packet dropped, repeated or moved: aims at the SEQ checks.
const mangledMessage = fc
  .tuple(fc.integer({ min: 1, max: 3 }), fc.constant(MSG), fc.uint8Array({ minLength: 58, maxLength: 400 }), fc.nat(), fc.nat(), fc.constantFrom('drop', 'repeat', 'move'))
  .map(([cid, cmd, payload, i, j, how]) => {
    const reports = fragmentMessage(cid, cmd, payload);
    const from = 1 + (i % (reports.length - 1));
    const to = 1 + (j % (reports.length - 1));
    if (how === 'drop') reports.splice(from, 1);
    if (how === 'repeat') reports.splice(to, 0, reports[from]);
    if (how === 'move') reports.splice(to, 0, ...reports.splice(from, 1));
    return reports;
  });
const allocate = fc.constant(fragmentMessage(BROADCAST_CID, INIT, NONCE));
const garbage = fc.uint8Array({ maxLength: 80 }).map((r) => [r]);
/** Every run starts with channels 1, 2 and 3 allocated, so that most packets reach real channels. */
const opening = [1, 2, 3].map(() => [fragmentMessage(BROADCAST_CID, INIT, NONCE), true] as const);
const step = fc.tuple(fc.oneof(initPacket, continuation, wholeMessage, mangledMessage, allocate, garbage), fc.boolean());

/**
 * MSG payloads a correct reassembler could produce from `reports`, per CID, ignoring busy, lock and
 * channel rules (which only remove messages). Written from the spec, not from framing.ts.
 */
function completeMessages(reports: Uint8Array[]): Set<string> {
  const complete = new Set<string>();
  const open = new Map<number, { length: number; bytes: number[]; seq: number }>();
  for (const r of reports) {
    if (r.length > 64) continue;
    const padded = new Uint8Array(64);
    padded.set(r);
    const cid = ((padded[0] << 24) | (padded[1] << 16) | (padded[2] << 8) | padded[3]) >>> 0;
    let state = open.get(cid);
    if (padded[4] & 0x80) {
      open.delete(cid);
      const length = (padded[5] << 8) | padded[6];
      if ((padded[4] & 0x7f) !== MSG || length < 1 || length > MAX_MESSAGE_SIZE) continue;
      state = { length, bytes: [...padded.slice(7, 7 + Math.min(length, 57))], seq: 0 };
      open.set(cid, state);
    } else if (state && padded[4] === state.seq) {
      state.seq++;
      state.bytes.push(...padded.slice(5, 5 + Math.min(state.length - state.bytes.length, 59)));
    } else {
      open.delete(cid);
      continue;
    }
    if (state.bytes.length === state.length) {
      complete.add(Buffer.from(state.bytes).toString('hex'));
      open.delete(cid);
    }
  }
  return complete;
}

test('random and malformed sequences: no throw, only well-formed MSGs reach the applet, INIT+PING still work', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(step, { maxLength: 30 }), async (steps) => {
      const applet = echoApplet();
      const rig = new DeviceRig(applet);
      const fed: Uint8Array[] = [];
      try {
        for (const [reports, yieldAfter] of [...opening, ...steps]) {
          for (const r of reports) {
            fed.push(r);
            rig.device.receive(r);
          }
          if (yieldAfter) await Promise.resolve();
        }
        await new Promise((resolve) => setImmediate(resolve));
        assert.ok(rig.sent.every((r) => r.length === 64), 'every report sent is 64 bytes');
        const allowed = completeMessages(fed);
        for (const call of applet.calls) {
          assert.ok(allowed.has(Buffer.from(call).toString('hex')), `applet called with ${call.length} unexpected bytes`);
        }
        // Recover as the hosts would: resync every channel that may exist and release any lock.
        const allocations = fed.filter((r) => r.length >= 5 && r[0] === 0xff && r[1] === 0xff && r[2] === 0xff && r[3] === 0xff && r[4] === (0x80 | INIT)).length;
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
    fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 1000 }), fc.array(garbage, { maxLength: 20 }), async (payload, noise) => {
      const applet = echoApplet();
      const rig = new DeviceRig(applet);
      try {
        const cid = rig.open();
        const reports = fragmentMessage(cid, MSG, payload);
        // Noise only ever on CIDs other than ours; a stray init packet there must not disturb us.
        const others = noise.map(([r]) => {
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
