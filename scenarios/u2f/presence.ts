// U2F conformance: user presence. A token without a touch answers 6985 and the client retries;
// P1 0x08 signs without presence and clears the UP bit (FIDO U2F Raw Message Formats v1.2 §5.1).
import { StatusWord, U2fInstruction } from '../../emulator/token/index.ts';
import { defineScenario } from '../../harness/runner/index.ts';
import { PresenceTimeoutError, verifyAuthentication } from '../../harness/u2f/index.ts';
import { APP, freshChallenge, registerVerified } from './support.ts';

export const presenceDenied = defineScenario({
  id: 'u2f.presence-denied',
  title: 'With presence denied, REGISTER answers 6985 and the client times out cleanly',
  tags: ['u2f', 'presence', 'negative'],
  requires: ['presence-control'],
  async run({ token, expect, step }) {
    await token.control!.setPresence({ mode: 'deny' });
    const u2f = await token.u2f({ presenceTimeoutMs: 300 });
    const data = new Uint8Array([...freshChallenge(), ...APP]);
    const { sw } = await step('REGISTER once', () => u2f.send({ ins: U2fInstruction.REGISTER, p1: 0x03, data }));
    expect.statusWord(sw, StatusWord.CONDITIONS_NOT_SATISFIED, 'REGISTER without a touch');
    await step('REGISTER with retries', () => expect.rejects(u2f.register({ challenge: freshChallenge(), application: APP }), PresenceTimeoutError, 'REGISTER while presence is denied'));
  },
});

export const presenceDelayed = defineScenario({
  id: 'u2f.presence-delayed',
  title: 'With a slow touch (400 ms), the client retries through 6985 and then succeeds',
  tags: ['u2f', 'presence'],
  requires: ['presence-control'],
  async run({ token, expect, step, observe }) {
    await token.control!.setPresence({ mode: 'delay', ms: 400 });
    const u2f = await token.u2f({ presenceTimeoutMs: 3_000 });
    const start = performance.now();
    await step('REGISTER', () => registerVerified(u2f, expect));
    const elapsed = performance.now() - start;
    observe(`REGISTER completed after ${elapsed.toFixed(0)} ms`);
    expect.within(elapsed, 380, 2_500, 'REGISTER completion time (ms)');
  },
});

export const presenceManual = defineScenario({
  id: 'u2f.presence-manual',
  title: 'A manual touch serves exactly one operation',
  tags: ['u2f', 'presence'],
  requires: ['presence-control'],
  async run({ token, expect, step }) {
    const control = token.control!;
    await control.setPresence({ mode: 'manual' });
    const u2f = await token.u2f({ presenceTimeoutMs: 300 });
    const data = new Uint8Array([...freshChallenge(), ...APP]);
    const before = await step('REGISTER before touch', () => u2f.send({ ins: U2fInstruction.REGISTER, p1: 0x03, data }));
    expect.statusWord(before.sw, StatusWord.CONDITIONS_NOT_SATISFIED, 'REGISTER before the touch');
    await control.touch();
    const registration = await step('REGISTER after touch', () => registerVerified(u2f, expect));
    const request = { challenge: freshChallenge(), application: APP, keyHandle: registration.keyHandle };
    await step('AUTHENTICATE without a new touch', () => expect.rejects(u2f.authenticate(request), PresenceTimeoutError, 'second operation on one touch'));
  },
});

export const dontEnforcePresence = defineScenario({
  id: 'u2f.dont-enforce-presence',
  title: "Don't-enforce (P1 0x08) signs without a touch and clears the UP bit",
  tags: ['u2f', 'presence'],
  async run({ token, expect, step }) {
    const u2f = await token.u2f();
    const registration = await step('REGISTER', () => registerVerified(u2f, expect));
    await token.control?.setPresence({ mode: 'deny' });
    const challenge = freshChallenge();
    const assertion = await step('AUTHENTICATE P1 0x08', () =>
      u2f.authenticate({ challenge, application: APP, keyHandle: registration.keyHandle, mode: 'dont-enforce' }));
    expect.equal(assertion.userPresence, false, 'user presence bit');
    expect.true(verifyAuthentication(assertion, registration.userPublicKey, challenge, APP), 'signature verifies with node:crypto');
  },
});

export const presence = [presenceDenied, presenceDelayed, presenceManual, dontEnforcePresence];
