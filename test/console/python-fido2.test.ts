// The console's WebAuthn against Yubico's python-fido2 0.9.1, code nobody on this project wrote:
// the registration and assertion our harness makes through the console are accepted by
// python-fido2's Fido2Server too, and python-fido2's Fido2Client, driving our key over the Solo UDP
// transport in the browser's place, registers a key and signs in through the console. The console
// runs as https://keyloop.example (behind an imagined TLS front), which python-fido2's origin rules
// require. Skipped where python3-fido2 is missing.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile, spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { readFile } from 'node:fs/promises';
import type { AuthenticationResponseJSON, PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { startTokenServers, type TokenServers } from '../../emulator/serve-token.ts';
import type { CredentialsApi } from '../../harness/browser/index.ts';
import { toBase64url } from '../../harness/webauthn/index.ts';
import { FIDO2_SERVER_CHECK_SCRIPT } from '../webauthn/fido2-server-check.ts';
import { FIDO2_CLIENT_SCRIPT } from './fido2-client-script.ts';
import { ACCOUNT, ALICE, attachWorkshopPolicies, createConsoleUser, openTestToken, signedInClient, startConsole, type ConsoleEnv } from './support.ts';

const PYTHON = '/usr/bin/python3';
const hasFido2 = spawnSync(PYTHON, ['-c', 'import fido2'], { stdio: 'ignore' }).status === 0;
const withFido2 = hasFido2 ? test : test.skip;

const RP_ID = 'keyloop.example';
const ORIGIN = `https://${RP_ID}`;
const BOB = { userName: 'bob', password: 'Bob-Passw0rd!' };

let env: ConsoleEnv;

test.before(async () => {
  env = await startConsole({ console: { origin: ORIGIN } });
  await createConsoleUser(env.root, ALICE);
  await createConsoleUser(env.root, BOB);
  await attachWorkshopPolicies(env.root, [ALICE.userName, BOB.userName]);
});

test.after(async () => {
  await env.close();
});

function runPython(script: string, input: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const child = execFile(PYTHON, ['-c', script], { timeout: 30_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`python-fido2 exited with ${error.code}: ${stderr}`));
      else resolve(JSON.parse(stdout));
    });
    child.stdin?.end(JSON.stringify(input));
  });
}

/** Records what the console asked of the browser and what it answered. */
function recording(inner: CredentialsApi) {
  const log = {
    registration: undefined as { options: PublicKeyCredentialCreationOptionsJSON; response: RegistrationResponseJSON } | undefined,
    assertion: undefined as { options: PublicKeyCredentialRequestOptionsJSON; response: AuthenticationResponseJSON } | undefined,
  };
  const credentials: CredentialsApi = {
    async create(options) {
      const response = await inner.create(options);
      log.registration = { options, response };
      return response;
    },
    async get(options) {
      const response = await inner.get(options);
      log.assertion = { options, response };
      return response;
    },
  };
  return { credentials, log };
}

async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

withFido2('python-fido2 Fido2Server accepts the registration and assertion our harness made through the console', async () => {
  const token = await openTestToken();
  try {
    const { credentials, log } = recording(token.browser(ORIGIN));
    const alice = await signedInClient(env, ALICE, credentials);
    assert.is((await alice.registerSecurityKey('MyU2FKey')).ok, true);
    await alice.signOut();
    const again = env.client(credentials);
    await again.signIn({ account: ACCOUNT, ...ALICE });
    assert.is((await again.useSecurityKey()).ok, true);

    const { registration, assertion } = log;
    assert.ok(registration && assertion, 'both ceremonies ran');
    const certificate = new X509Certificate(await readFile('fixtures/attestation/default.cert.pem', 'utf8'));
    const result = await runPython(FIDO2_SERVER_CHECK_SCRIPT, {
      rpId: RP_ID,
      trustedCertificate: toBase64url(certificate.raw),
      registration: { challenge: registration.options.challenge, clientDataJSON: registration.response.response.clientDataJSON, attestationObject: registration.response.response.attestationObject },
      authentication: {
        challenge: assertion.options.challenge,
        credentialId: assertion.response.rawId,
        clientDataJSON: assertion.response.response.clientDataJSON,
        authenticatorData: assertion.response.response.authenticatorData,
        signature: assertion.response.response.signature,
      },
    }) as { registration: Record<string, unknown>; authentication: Record<string, unknown> };
    assert.equal([result.registration.ok, result.registration.fmt, result.registration.credentialId], [true, 'fido-u2f', registration.response.id], JSON.stringify(result.registration));
    assert.equal([result.authentication.ok, result.authentication.userPresent], [true, true], JSON.stringify(result.authentication));
  } finally {
    await token.close();
  }
});

withFido2('python-fido2 Fido2Client with our key registers through the console and signs in with it', async () => {
  const replyPort = await freeUdpPort();
  const servers: TokenServers = await startTokenServers({ usbipPort: 0, udpPort: 0, udpReplyPort: replyPort, controlPort: null });
  try {
    const ceremony = (operation: 'create' | 'get', options: unknown) => runPython(FIDO2_CLIENT_SCRIPT, { operation, devicePort: servers.udp!.port, replyPort, origin: ORIGIN, options });
    const python: CredentialsApi = {
      create: async (options) => (await ceremony('create', options)) as RegistrationResponseJSON,
      get: async (options) => (await ceremony('get', options)) as AuthenticationResponseJSON,
    };
    const bob = await signedInClient(env, BOB, python);
    const registered = await bob.registerSecurityKey('PythonKey');
    assert.ok(registered.ok, JSON.stringify(registered));
    const [key] = env.server.store.mfa.listSecurityKeys(BOB.userName);
    assert.equal([key.name, key.attestationFormat], ['PythonKey', 'fido-u2f']);
    await bob.signOut();

    const again = env.client(python);
    assert.equal(await again.signIn({ account: ACCOUNT, ...BOB }), { ok: true, value: { step: 'mfa-required', methods: ['security-key'] } });
    assert.equal(await again.useSecurityKey(), { ok: true, value: { redirect: '/console/home' } });
    assert.ok(env.server.store.mfa.listSecurityKeys(BOB.userName)[0].counter > 0);
  } finally {
    await servers.close();
  }
});

test.run();
