// U2F conformance: the signature counter only goes up, across operations and power cycles.
import { defineScenario, type ScenarioContext } from '../../harness/runner/index.ts';
import { verifyAuthentication, type RegisterResponse } from '../../harness/u2f/index.ts';
import { APP, freshChallenge, registerVerified } from './support.ts';

async function authenticateCounter({ token, expect }: ScenarioContext, registration: RegisterResponse): Promise<number> {
  const u2f = await token.u2f();
  const challenge = freshChallenge();
  const assertion = await u2f.authenticate({ challenge, application: APP, keyHandle: registration.keyHandle });
  expect.true(verifyAuthentication(assertion, registration.userPublicKey, challenge, APP), 'assertion verifies with node:crypto');
  return assertion.counter;
}

export const counterIncreasing = defineScenario({
  id: 'u2f.counter-increasing',
  title: 'The counter strictly increases across authentications',
  tags: ['u2f', 'counter'],
  async run(context) {
    const { token, expect, step, observe } = context;
    const registration = await step('REGISTER', async () => registerVerified(await token.u2f(), expect));
    const counters: number[] = [];
    for (let i = 0; i < 5; i++) counters.push(await step(`AUTHENTICATE ${i + 1}`, () => authenticateCounter(context, registration)));
    observe(`counters ${counters.join(', ')}`);
    for (let i = 1; i < counters.length; i++) expect.greater(counters[i], counters[i - 1], `counter of authentication ${i + 1}`);
  },
});

export const counterAcrossRestart = defineScenario({
  id: 'u2f.counter-across-restart',
  title: 'The counter after a power cycle is above every counter before it',
  tags: ['u2f', 'counter', 'persistence'],
  requires: ['restart'],
  async run(context) {
    const { token, expect, step, observe } = context;
    const registration = await step('REGISTER', async () => registerVerified(await token.u2f(), expect));
    const before = await step('AUTHENTICATE before restart', () => authenticateCounter(context, registration));
    await step('restart', () => token.control!.restart());
    const after = await step('AUTHENTICATE after restart', () => authenticateCounter(context, registration));
    observe(`counter ${before} before, ${after} after the power cycle`);
    expect.greater(after, before, 'counter after restart');
  },
});

export const counter = [counterIncreasing, counterAcrossRestart];
