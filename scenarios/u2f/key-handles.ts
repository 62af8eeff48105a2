// U2F conformance: check-only (P1 0x07) and rejection of handles that are not this token's
// for this application (FIDO U2F Raw Message Formats v1.2 §5.1, §5.2).
import { randomBytes } from 'node:crypto';
import { StatusWord, U2fInstruction } from '../../emulator/token/index.ts';
import { defineScenario } from '../../harness/runner/index.ts';
import { APP, OTHER_APP, flipBit, freshChallenge, registerVerified } from './support.ts';

export const checkOnlyOwn = defineScenario({
  id: 'u2f.check-only-own',
  title: 'Check-only with our own key handle answers 6985 (it is ours, touch needed)',
  tags: ['u2f', 'key-handle'],
  async run({ token, expect, step }) {
    const u2f = await token.u2f();
    const { keyHandle } = await step('REGISTER', () => registerVerified(u2f, expect));
    expect.equal(await step('check-only', () => u2f.checkKeyHandle({ application: APP, keyHandle })), 'own', 'check-only verdict');
  },
});

export const checkOnlyForeign = defineScenario({
  id: 'u2f.check-only-foreign',
  title: 'Check-only answers 6A80 for another app, a random handle and a handle with one bit flipped',
  tags: ['u2f', 'key-handle', 'negative'],
  async run({ token, expect, step }) {
    const u2f = await token.u2f();
    const { keyHandle } = await step('REGISTER', () => registerVerified(u2f, expect));
    const foreign = async (application: Uint8Array, handle: Uint8Array) => u2f.checkKeyHandle({ application, keyHandle: handle });
    expect.equal(await step('other application', () => foreign(OTHER_APP, keyHandle)), 'foreign', 'handle used for another app');
    expect.equal(await step('random handle', () => foreign(APP, new Uint8Array(randomBytes(keyHandle.length)))), 'foreign', 'random handle');
    for (const bit of [0, keyHandle.length * 4, keyHandle.length * 8 - 1]) {
      expect.equal(await step(`bit ${bit} flipped`, () => foreign(APP, flipBit(keyHandle, bit))), 'foreign', `handle with bit ${bit} flipped`);
    }
  },
});

export const authenticateForeign = defineScenario({
  id: 'u2f.authenticate-foreign',
  title: 'AUTHENTICATE with a handle from another app is refused with 6A80, never signed',
  tags: ['u2f', 'key-handle', 'negative'],
  async run({ token, expect, step }) {
    const u2f = await token.u2f();
    const { keyHandle } = await step('REGISTER', () => registerVerified(u2f, expect));
    const data = new Uint8Array([...freshChallenge(), ...OTHER_APP, keyHandle.length, ...keyHandle]);
    const { sw } = await step('AUTHENTICATE other app', () => u2f.send({ ins: U2fInstruction.AUTHENTICATE, p1: 0x03, data }));
    expect.statusWord(sw, StatusWord.WRONG_DATA, 'AUTHENTICATE with a foreign handle');
  },
});

export const keyHandles = [checkOnlyOwn, checkOnlyForeign, authenticateForeign];
