// U2F conformance: VERSION, REGISTER and AUTHENTICATE on the path every relying party takes.
import { defineScenario } from '../../harness/runner/index.ts';
import { verifyAuthentication } from '../../harness/u2f/index.ts';
import { APP, freshChallenge, registerVerified } from './support.ts';

export const version = defineScenario({
  id: 'u2f.version',
  title: 'VERSION answers U2F_V2',
  tags: ['u2f', 'basic'],
  async run({ token, expect, step }) {
    const u2f = await token.u2f();
    expect.equal(await step('VERSION', () => u2f.version()), 'U2F_V2', 'version string');
  },
});

export const registerAuthenticate = defineScenario({
  id: 'u2f.register-authenticate',
  title: 'Register, then authenticate with the new key handle; node:crypto verifies both signatures',
  tags: ['u2f', 'basic'],
  async run({ token, expect, step, observe }) {
    const u2f = await token.u2f();
    const registration = await step('REGISTER', () => registerVerified(u2f, expect));
    expect.equal(registration.userPublicKey[0], 0x04, 'user public key point format');
    observe(`key handle ${registration.keyHandle.length} bytes, attestation certificate ${registration.attestationCertificate.length} bytes`);
    const challenge = freshChallenge();
    const assertion = await step('AUTHENTICATE', () => u2f.authenticate({ challenge, application: APP, keyHandle: registration.keyHandle }));
    expect.true(assertion.userPresence, 'user presence bit set');
    expect.true(verifyAuthentication(assertion, registration.userPublicKey, challenge, APP), 'assertion signature verifies with node:crypto');
  },
});

export const basics = [version, registerAuthenticate];
