// Fault rules: parsing with clear errors, and the applet wrapper rewriting answers as told.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseFaultRules, withFaults } from '../../emulator/faults/index.ts';
import type { CtaphidApplet } from '../../emulator/ctaphid/applet.ts';

const fail = (field: string, expected: string, got: unknown): never => {
  throw new Error(`${field} must be ${expected}, got ${JSON.stringify(got)}`);
};

// Answers VERSION with U2F_V2 and anything else with fixed "signature" bytes and 9000.
const fake: CtaphidApplet = {
  async process(request) {
    if (request[1] === 0x03) return Uint8Array.from([...Buffer.from('U2F_V2'), 0x90, 0x00]);
    if (request[1] === 0x7f) return Uint8Array.of(0x6d, 0x00);
    return Uint8Array.of(0x01, 0x00, 0x00, 0x00, 0x05, 0x30, 0xaa, 0xbb, 0x90, 0x00);
  },
};
const apdu = (ins: number) => Uint8Array.of(0, ins, 0, 0, 0, 0, 0);

test('no faults: the applet itself', () => {
  assert.is(withFaults(fake, []), fake);
});

test('rules parse, and bad rules name the field and what was expected', () => {
  const rules = parseFaultRules([{ instruction: 'VERSION', statusWord: '6d00', delayMs: 5 }, { instruction: '*', corruptSignature: true }], fail);
  assert.equal(rules[0], { instruction: 'VERSION', statusWord: 0x6d00, delayMs: 5, corruptSignature: undefined });
  assert.throws(() => parseFaultRules({}, fail), /faults must be an array/);
  assert.throws(() => parseFaultRules([{ instruction: 'WINK' }], fail), /faults\[0\]\.instruction must be REGISTER, AUTHENTICATE, VERSION, \*/);
  assert.throws(() => parseFaultRules([{ instruction: 'VERSION', statusWord: '6d' }], fail), /statusWord must be 2 bytes of hex/);
  assert.throws(() => parseFaultRules([{ instruction: 'VERSION', explode: true }], fail), /faults\[0\]\.explode must be absent/);
  assert.throws(() => parseFaultRules([{ instruction: 'VERSION', delayMs: -1 }], fail), /delayMs must be an integer/);
  assert.throws(() => parseFaultRules([{ instruction: 'VERSION', response: 'zz' }], fail), /response must be hex bytes/);
});

test('statusWord and response replace the answer only for the matching instruction', async () => {
  const applet = withFaults(fake, parseFaultRules([{ instruction: 'VERSION', statusWord: '6d00' }], fail));
  assert.equal([...(await applet.process(apdu(0x03)))], [0x6d, 0x00]);
  assert.equal((await applet.process(apdu(0x02))).length, 10);
  const replaced = withFaults(fake, parseFaultRules([{ instruction: '*', response: '6a80' }], fail));
  assert.equal([...(await replaced.process(apdu(0x02)))], [0x6a, 0x80]);
});

test('corruptSignature flips the last signature byte of successful answers only', async () => {
  const applet = withFaults(fake, parseFaultRules([{ instruction: '*', corruptSignature: true }], fail));
  assert.equal([...(await applet.process(apdu(0x02)))], [0x01, 0, 0, 0, 0x05, 0x30, 0xaa, 0xba, 0x90, 0x00]);
  assert.equal([...(await applet.process(apdu(0x7f)))], [0x6d, 0x00]);
});

test('delayMs holds the answer', async () => {
  const applet = withFaults(fake, parseFaultRules([{ instruction: 'VERSION', delayMs: 80 }], fail));
  const start = performance.now();
  await applet.process(apdu(0x03));
  assert.ok(performance.now() - start >= 75);
});

test.run();
