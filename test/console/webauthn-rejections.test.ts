// The console's relying party refuses, with a clear code and message and without changing any
// state (the user's devices and their counters stay as they were, the sign-in stays unfinished):
// a wrong origin or RP ID, a wrong or reused challenge, an unknown credential, a response without
// user presence, a signature counter that did not grow (a cloned key), a ninth MFA device, and a
// caller whose policies do not allow iam:EnableMFADevice; and responses no browser-and-key pair
// sends (BER signatures, a stranger's user handle, a cross-origin frame, an unusable public key).
// It accepts fido-u2f, packed and none.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuthenticationResponseJSON, PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import type { ConsoleClient } from '../../harness/browser/index.ts';
import { serializeClientData, toBase64url } from '../../harness/webauthn/index.ts';
import { applyRegistrationMutation, type CoseEdit, type Format, type RegistrationContext, type RegistrationJson, type RegistrationMutation } from '../../fuzz/generators/webauthn-attestation.ts';
import { applyAssertionMutation, type AssertionJson, type AssertionMutation, type ClientDataEdit } from '../../fuzz/generators/webauthn-responses.ts';
import { assertionWithoutPresence, signedAssertion, softwareRegistration, withIntegerKeys, withoutRegistrationPresence, withRpId } from './crafted-credentials.ts';
import {
  ACCOUNT,
  attachWorkshopPolicies,
  createConsoleUser,
  openTestToken,
  signedInClient,
  startConsole,
  type ConsoleEnv,
  type TestToken,
} from './support.ts';

const user = (userName: string) => ({ userName, password: `${userName[0].toUpperCase()}${userName.slice(1)}-Passw0rd!` });
const ALICE = user('alice'); // rejections, then the key the sign-in cases use
const BOB = user('bob'); // the cloned key
const CAROL = user('carol'); // no policy: may not add MFA devices
const DAVE = user('dave'); // the 8-device quota
const ERIN = user('erin'); // attestation formats
const FRANK = user('frank'); // registrations the fuzz target found accepted

let env: ConsoleEnv;
let token: TestToken;
let origin: string;

type Body = Record<string, unknown>;

const keysOf = (userName: string) => env.server.store.mfa.listSecurityKeys(userName).map((key) => ({ serial: key.serialNumber, counter: key.counter }));
const otherChallenge = () => toBase64url(randomBytes(32));

test.before(async () => {
  env = await startConsole();
  for (const who of [ALICE, BOB, CAROL, DAVE, ERIN, FRANK]) await createConsoleUser(env.root, who);
  await attachWorkshopPolicies(env.root, [ALICE.userName, BOB.userName, DAVE.userName, ERIN.userName, FRANK.userName]);
  token = await openTestToken();
  origin = env.console.origin;
});

test.after(async () => {
  await token.close();
  await env.close();
});

/** Runs `attempt`, expects rejection `code`, and checks that `userName`'s keys did not change. */
async function expectRejected(userName: string, code: string, attempt: () => Promise<Body>): Promise<Body> {
  const before = keysOf(userName);
  const body = await attempt();
  assert.equal([body.ok, body.code], [false, code], String(body.message));
  assert.type(body.message, 'string');
  assert.equal(keysOf(userName), before, 'devices and counters unchanged');
  return body;
}

/** The security key step of Assign MFA device, with `respond` in the browser's place. */
async function register(client: ConsoleClient, respond: (options: PublicKeyCredentialCreationOptionsJSON) => Promise<RegistrationResponseJSON> | RegistrationResponseJSON): Promise<Body> {
  await client.get('iam/security-credentials/mfa/security-key?name=Key');
  const begin = await client.postJson('api/mfa/security-key/options', { deviceName: 'Key' });
  if (begin.body.ok !== true) return begin.body;
  const response = await respond(begin.body.options as PublicKeyCredentialCreationOptionsJSON);
  return (await client.postJson('api/mfa/security-key/verify', { credential: response })).body;
}

/** Password, then "Use your security key" with `respond` in the browser's place. */
async function signIn(
  who: { userName: string; password: string },
  respond: (options: PublicKeyCredentialRequestOptionsJSON) => Promise<AuthenticationResponseJSON>,
): Promise<{ client: ConsoleClient; body: Body; response: AuthenticationResponseJSON }> {
  const client = env.client();
  assert.equal(await client.signIn({ account: ACCOUNT, ...who }), { ok: true, value: { step: 'mfa-required', methods: ['security-key'] } });
  const begin = await client.postJson('api/signin/options', {});
  assert.is(begin.body.ok, true, JSON.stringify(begin.body));
  const response = await respond(begin.body.options as PublicKeyCredentialRequestOptionsJSON);
  return { client, body: (await client.postJson('api/signin/verify', { credential: response })).body, response };
}

async function assertNotSignedIn(client: ConsoleClient): Promise<void> {
  assert.match((await client.get('iam')).url, /\/console\/signin$/, 'the session did not get past sign-in');
}

// ---- registration ------------------------------------------------------------------------

test('registration: a response from another origin is wrong-origin', async () => {
  const client = await signedInClient(env, ALICE);
  const elsewhere = token.browser(origin.replace('localhost', 'evil.localhost'), { unsafeSkipOriginCheck: true });
  await expectRejected(ALICE.userName, 'wrong-origin', () => register(client, (options) => elsewhere.create(options)));
});

test('registration: a credential scoped to another RP ID is wrong-rp-id', async () => {
  const client = await signedInClient(env, ALICE);
  const lying = token.browser(origin, { unsafeSkipOriginCheck: true });
  await expectRejected(ALICE.userName, 'wrong-rp-id', () => register(client, (options) => lying.create({ ...options, rp: { ...options.rp, id: 'evil.example' } })));
});

test('registration: an answer to another challenge is wrong-challenge', async () => {
  const client = await signedInClient(env, ALICE);
  await expectRejected(ALICE.userName, 'wrong-challenge', () => register(client, (options) => token.browser(origin).create({ ...options, challenge: otherChallenge() })));
});

test('registration: without user presence (UP flag clear) it is user-not-present', async () => {
  const client = await signedInClient(env, ALICE);
  await expectRejected(ALICE.userName, 'user-not-present', () => register(client, async (options) => withoutRegistrationPresence(await token.browser(origin).create(options))));
});

test('registration: garbage instead of a credential is invalid-response, and the challenge is spent', async () => {
  const client = await signedInClient(env, ALICE);
  await expectRejected(ALICE.userName, 'invalid-response', () => register(client, () => ({ id: 'x' }) as unknown as RegistrationResponseJSON));
  await expectRejected(ALICE.userName, 'no-ceremony', async () => (await client.postJson('api/mfa/security-key/verify', { credential: {} })).body);
});

test('registration: a CTAP2 attestation object (integer keys) is invalid-response, saying why', async () => {
  const client = await signedInClient(env, ALICE);
  const body = await expectRejected(ALICE.userName, 'invalid-response', () => register(client, async (options) => withIntegerKeys(await token.browser(origin).create(options))));
  assert.match(String(body.message), 'text-keyed "fmt" and "authData"');
});

test('registration: the same response twice, or against a later challenge, is refused', async () => {
  const client = await signedInClient(env, ALICE);
  let first: RegistrationResponseJSON | undefined;
  const accepted = await register(client, async (options) => (first = await token.browser(origin).create(options)));
  assert.is(accepted.ok, true, JSON.stringify(accepted));
  await expectRejected(ALICE.userName, 'no-ceremony', async () => (await client.postJson('api/mfa/security-key/verify', { credential: first })).body);
  await expectRejected(ALICE.userName, 'wrong-challenge', () => register(client, () => first!));
});

test('registration: a caller without iam:EnableMFADevice gets AccessDenied, on the page and from the API', async () => {
  const client = await signedInClient(env, CAROL, token.browser(origin));
  const denied = await client.registerSecurityKey('CarolKey');
  assert.equal(denied.ok ? 'registered' : denied.code, 'AccessDenied');
  await expectRejected(CAROL.userName, 'AccessDenied', async () => {
    await client.get('iam/security-credentials/mfa/security-key?name=Key');
    return (await client.postJson('api/mfa/security-key/options', { deviceName: 'Key' })).body;
  });
});

test('registration: the ninth MFA device is LimitExceeded, also when the eighth arrives during the ceremony', async () => {
  const { mfa } = env.server.store;
  const fake = (i: number) => ({ userName: DAVE.userName, name: `Fake${i}`, credentialId: randomBytes(32), publicKey: randomBytes(77), counter: 0, attestationFormat: 'none' });
  const client = await signedInClient(env, DAVE, token.browser(origin));
  for (let i = 1; i <= 7; i++) mfa.addSecurityKey(fake(i));
  // The eighth device arrives while the key waits for its touch: the write itself must refuse.
  const raced = await register(client, async (options) => {
    mfa.addSecurityKey(fake(8));
    return token.browser(origin).create(options);
  });
  assert.equal([raced.ok, raced.code], [false, 'LimitExceeded']);
  const names = () => mfa.listSecurityKeys(DAVE.userName).map((key) => key.name);
  assert.equal(names(), ['Fake1', 'Fake2', 'Fake3', 'Fake4', 'Fake5', 'Fake6', 'Fake7', 'Fake8']);
  const refused = await client.registerSecurityKey('Ninth');
  assert.equal(refused, { ok: false, code: 'LimitExceeded', message: 'Cannot exceed quota for MFADevicesPerUser: 8' });
  await expectRejected(DAVE.userName, 'LimitExceeded', async () => (await client.postJson('api/mfa/security-key/options', { deviceName: 'Ninth' })).body);
});

test('registration: packed and none attestation are accepted; other formats are unsupported-attestation', async () => {
  const client = await signedInClient(env, ERIN);
  await expectRejected(ERIN.userName, 'unsupported-attestation', () => register(client, (options) => softwareRegistration({ options, origin, fmt: 'android-key' })));
  assert.is((await register(client, (options) => softwareRegistration({ options, origin }))).ok, true);
  assert.is((await register(client, (options) => token.browser(origin).create({ ...options, attestation: 'none' }))).ok, true);
  const formats = env.server.store.mfa.listSecurityKeys(ERIN.userName).map((key) => key.attestationFormat);
  assert.equal(formats, ['packed', 'none']);
});

// Found by the webauthn-responses fuzz target: each mutation is the shrunk one it reported,
// applied by its own generator to a response the key made for this challenge.

function mutationContext(challenge: string): RegistrationContext {
  return {
    origin,
    rpId: env.console.rpId,
    challenge,
    previousChallenge: otherChallenge(),
    storedCounter: 0,
    otherCredentialId: toBase64url(randomBytes(64)),
    otherCredential: { id: randomBytes(64), publicKey: new Uint8Array(0) },
    wrongKey: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey,
  };
}

const mutatedRegistration = (mutation: RegistrationMutation, format: Format) => async (options: PublicKeyCredentialCreationOptionsJSON) => {
  const response = await token.browser(origin).create(format === 'none' ? { ...options, attestation: 'none' } : options);
  return applyRegistrationMutation(response as unknown as RegistrationJson, mutation, format, mutationContext(options.challenge)).body.credential as RegistrationResponseJSON;
};

const mutatedAssertion = (mutation: AssertionMutation) => async (options: PublicKeyCredentialRequestOptionsJSON) => {
  const response = await token.browser(origin).get(options);
  return applyAssertionMutation(response as unknown as AssertionJson, mutation, mutationContext(options.challenge)).body.credential as AuthenticationResponseJSON;
};

test('registration: an id and rawId that name another credential than the attested one are invalid-response', async () => {
  const client = await signedInClient(env, FRANK);
  await expectRejected(FRANK.userName, 'invalid-response', () => register(client, mutatedRegistration({ at: 'json-id', value: 'other' }, 'fido-u2f')));
});

test('registration: a public key no signature could be checked with is invalid-response (a point off the curve, no curve)', async () => {
  const client = await signedInClient(env, FRANK);
  const publicKey = (edit: CoseEdit): RegistrationMutation => ({ at: 'attestation', edit: { op: 'auth-data', edit: { op: 'public-key', edit } } });
  await expectRejected(FRANK.userName, 'invalid-response', () => register(client, mutatedRegistration(publicKey({ op: 'swap-coordinates' }), 'none')));
  await expectRejected(FRANK.userName, 'invalid-response', () => register(client, mutatedRegistration(publicKey({ op: 'drop', label: -1 }), 'fido-u2f')));
});

test('registration: a credential id over 1023 bytes is invalid-response', async () => {
  const client = await signedInClient(env, FRANK);
  const mutation: RegistrationMutation = { at: 'attestation', edit: { op: 'auth-data', edit: { op: 'credential-id', value: 'too-long', consistent: true } } };
  await expectRejected(FRANK.userName, 'invalid-response', () => register(client, mutatedRegistration(mutation, 'none')));
});

test('registration: client data from a page in a cross-origin frame is wrong-origin', async () => {
  const client = await signedInClient(env, FRANK);
  for (const edit of [{ op: 'cross-origin', value: true }, { op: 'top-origin', value: 'own' }] satisfies ClientDataEdit[]) {
    await expectRejected(FRANK.userName, 'wrong-origin', () => register(client, mutatedRegistration({ at: 'client-data', edit }, 'none')));
  }
});

test('registration: a fido-u2f signature with a byte after its DER sequence is invalid-response', async () => {
  const client = await signedInClient(env, FRANK);
  const mutation: RegistrationMutation = { at: 'attestation', edit: { op: 'statement', edit: { op: 'sig-bytes', mutation: { kind: 'extend', bytes: Uint8Array.of(0) } } } };
  await expectRejected(FRANK.userName, 'invalid-response', () => register(client, mutatedRegistration(mutation, 'fido-u2f')));
});

// ---- sign-in -------------------------------------------------------------------------------

test('sign-in: a good assertion from the registered key passes and raises the stored counter', async () => {
  const before = keysOf(ALICE.userName);
  const { body } = await signIn(ALICE, (options) => token.browser(origin).get(options));
  assert.equal(body, { ok: true, redirect: '/console/home' });
  const after = keysOf(ALICE.userName);
  assert.ok(after[0].counter > before[0].counter, `${after[0].counter} > ${before[0].counter}`);
});

test('sign-in: wrong origin, wrong RP ID and wrong challenge are refused and leave the sign-in unfinished', async () => {
  const elsewhere = token.browser(origin.replace('localhost', 'evil.localhost'), { unsafeSkipOriginCheck: true });
  const cases: Array<[string, (options: PublicKeyCredentialRequestOptionsJSON) => Promise<AuthenticationResponseJSON>]> = [
    ['wrong-origin', (options) => elsewhere.get(options)],
    ['wrong-rp-id', async (options) => withRpId(await token.browser(origin).get(options), 'evil.example')],
    ['wrong-challenge', (options) => token.browser(origin).get({ ...options, challenge: otherChallenge() })],
  ];
  for (const [code, respond] of cases) {
    let client: ConsoleClient | undefined;
    await expectRejected(ALICE.userName, code, async () => {
      const attempt = await signIn(ALICE, respond);
      client = attempt.client;
      return attempt.body;
    });
    await assertNotSignedIn(client!);
  }
});

test('sign-in: a replayed assertion is refused, in a later sign-in and after its challenge is spent', async () => {
  const { response } = await signIn(ALICE, (options) => token.browser(origin).get(options));
  let client: ConsoleClient | undefined;
  await expectRejected(ALICE.userName, 'wrong-challenge', async () => {
    const attempt = await signIn(ALICE, async () => response);
    client = attempt.client;
    return attempt.body;
  });
  await expectRejected(ALICE.userName, 'no-ceremony', async () => (await client!.postJson('api/signin/verify', { credential: response })).body);
  await assertNotSignedIn(client!);
});

test('sign-in: a credential the user never registered is unknown-credential', async () => {
  const stranger = await openTestToken();
  try {
    const browser = stranger.browser(origin);
    await expectRejected(ALICE.userName, 'unknown-credential', async () => {
      const { body } = await signIn(ALICE, async (options) => {
        const own = await browser.create({
          rp: { id: options.rpId!, name: 'elsewhere' },
          user: { id: toBase64url(randomBytes(16)), name: 'alice', displayName: 'alice' },
          challenge: otherChallenge(),
          pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
        });
        return browser.get({ ...options, allowCredentials: [{ id: own.id, type: 'public-key' }] });
      });
      return body;
    });
  } finally {
    await stranger.close();
  }
});

test('sign-in: an assertion signed without a touch is user-not-present', async () => {
  const u2f = await token.u2f({ presenceTimeoutMs: 1000 });
  await expectRejected(ALICE.userName, 'user-not-present', async () => (await signIn(ALICE, (options) => assertionWithoutPresence({ u2f, options, origin }))).body);
});

test('sign-in: a cloned key whose counter did not grow is counter-not-increased', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'keyloop-clone-'));
  try {
    const original = join(dir, 'original');
    const first = await openTestToken({ stateDir: original });
    const client = await signedInClient(env, BOB, first.browser(origin));
    assert.is((await client.registerSecurityKey('BobKey')).ok, true);
    await first.close();
    // The copy has the same device secret and counter: a perfect clone of the key.
    await cp(original, join(dir, 'clone'), { recursive: true });
    const key = await openTestToken({ stateDir: original });
    const clone = await openTestToken({ stateDir: join(dir, 'clone') });
    try {
      assert.is((await signIn(BOB, (options) => key.browser(origin).get(options))).body.ok, true);
      await expectRejected(BOB.userName, 'counter-not-increased', async () => (await signIn(BOB, (options) => clone.browser(origin).get(options))).body);
    } finally {
      await clone.close();
      await key.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('sign-in: a signature in BER, not DER (a long-form length, a byte after the sequence), is invalid-response', async () => {
  const cases: AssertionMutation[] = [
    { at: 'signature', edit: { op: 'long-form-length' } },
    { at: 'signature', edit: { op: 'bytes', mutation: { kind: 'extend', bytes: Uint8Array.of(0) } } },
  ];
  for (const mutation of cases) await expectRejected(ALICE.userName, 'invalid-response', async () => (await signIn(ALICE, mutatedAssertion(mutation))).body);
});

test('sign-in: base64url no browser writes (stray bits that decode to the same bytes) is invalid-response', async () => {
  const mutation: AssertionMutation = { at: 'encoding', member: 'authenticatorData', edit: 'stray-bits' };
  await expectRejected(ALICE.userName, 'invalid-response', async () => (await signIn(ALICE, mutatedAssertion(mutation))).body);
});

test('sign-in: a user handle that is not the user\'s is unknown-credential', async () => {
  await expectRejected(ALICE.userName, 'unknown-credential', async () => (await signIn(ALICE, mutatedAssertion({ at: 'user-handle', value: 'random' }))).body);
});

test('sign-in: an assertion the key signed for a page in a cross-origin frame is wrong-origin', async () => {
  const u2f = await token.u2f({ presenceTimeoutMs: 1000 });
  await expectRejected(ALICE.userName, 'wrong-origin', async () => {
    const { client, body } = await signIn(ALICE, (options) => {
      const clientDataJSON = serializeClientData({ type: 'webauthn.get', challenge: options.challenge, origin, crossOrigin: true });
      return signedAssertion({ u2f, credentialId: options.allowCredentials![0].id, rpId: options.rpId!, clientDataJSON });
    });
    await assertNotSignedIn(client);
    return body;
  });
});

test('sign-in: the security key endpoints need the password step first', async () => {
  const client = env.client();
  await client.get('signin');
  assert.equal((await client.postJson('api/signin/options', {})).body.code, 'NotSignedIn');
  assert.equal((await client.postJson('api/signin/verify', { credential: {} })).body.code, 'NotSignedIn');
});

test.run();
