// The console's WebAuthn endpoints (emulator/console/routes/security-key.ts, sign-in.ts): the
// registration of a security key and the MFA sign-in's assertion, fed responses the emulator
// token made for a fresh challenge, then mutated at every level (webauthn-responses.ts,
// webauthn-attestation.ts), replayed, answered after the challenge was spent, signed by a clone
// of the key with a wound-back counter, or by the key for another user's credential. Only the
// unmodified response, or one an RP may take for it, is accepted; every other is refused with a
// 4xx and the console's code, adds no MFA device, leaves the stored counters and does not sign the
// session in.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import type { AuthenticationResponseJSON, PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { AttachUserPolicyCommand } from '@aws-sdk/client-iam';
import { serializeClientData, fromBase64url } from '../../harness/webauthn/index.ts';
import { signedAssertion } from '../../test/console/crafted-credentials.ts';
import { createConsoleUser } from '../../test/console/support.ts';
import { defineFuzzTarget } from '../fuzz-target.ts';
import { answerLabel, readAnswer } from '../generators/console-answers.ts';
import type { ConsoleResponse } from '../generators/console-http.ts';
import { passwordSession, type HeldSession } from '../generators/console-sessions.ts';
import { IamStateWatch, signInAs, startFuzzConsole, type FuzzConsole } from '../generators/console-site.ts';
import { applyRegistrationMutation, registrationMutation, type Format, type RegistrationContext, type RegistrationJson, type RegistrationMutation } from '../generators/webauthn-attestation.ts';
import { copyKeyState, FuzzKey } from '../generators/webauthn-keys.ts';
import {
  applyAssertionMutation,
  applyClientDataEdit,
  assertionMutation,
  type AssertionJson,
  type AssertionMutation,
  type Verdict,
} from '../generators/webauthn-responses.ts';

const REGISTRANT = { userName: 'fz-registrant', password: 'Fz-Registrant-Passw0rd!' };
const KEYHOLDER = { userName: 'fz-keyholder', password: 'Fz-Keyholder-Passw0rd!' };
const OTHER = { userName: 'fz-other', password: 'Fz-Other-Passw0rd!' };
const DEVICE_NAME = 'fz-key';
const PROBE_EVERY = 32;

/** Where the response comes from: the key, answering this challenge or not, or a clone of it. */
type RegistrationSource = 'fido-u2f' | 'none' | 'replay' | 'spent';
type AssertionSource = 'key' | 'clone' | 'other-credential' | 'replay' | 'spent';

type WebAuthnInput =
  | { ceremony: 'registration'; source: RegistrationSource; mutation: RegistrationMutation | undefined }
  | { ceremony: 'assertion'; source: AssertionSource; mutation: AssertionMutation | undefined; cloneLag: number };

const input: fc.Arbitrary<WebAuthnInput> = fc.oneof(
  fc.record({
    ceremony: fc.constant('registration' as const),
    source: fc.oneof({ arbitrary: fc.constant<RegistrationSource>('fido-u2f'), weight: 10 }, { arbitrary: fc.constant<RegistrationSource>('none'), weight: 5 }, { arbitrary: fc.constantFrom<RegistrationSource>('replay', 'spent'), weight: 1 }),
    mutation: fc.oneof({ arbitrary: fc.constant(undefined), weight: 1 }, { arbitrary: registrationMutation, weight: 10 }),
  }),
  fc.record({
    ceremony: fc.constant('assertion' as const),
    source: fc.oneof({ arbitrary: fc.constant<AssertionSource>('key'), weight: 12 }, { arbitrary: fc.constantFrom<AssertionSource>('clone', 'other-credential', 'replay', 'spent'), weight: 2 }),
    // An accepted assertion signs the session in, and a new one costs a password hash: few are unmodified.
    mutation: fc.oneof({ arbitrary: fc.constant(undefined), weight: 1 }, { arbitrary: assertionMutation, weight: 16 }),
    cloneLag: fc.constantFrom(0, 1),
  }),
);

interface Context {
  site: FuzzConsole;
  dir: string;
  key: FuzzKey;
  clone: FuzzKey;
  iam: IamStateWatch;
  registrant: HeldSession | undefined;
  keyholder: HeldSession | undefined;
  /** Valid responses to earlier challenges, to replay. */
  lastRegistration: RegistrationResponseJSON | undefined;
  lastAssertion: AuthenticationResponseJSON | undefined;
  previousChallenge: string;
  mutation: Omit<RegistrationContext, 'challenge' | 'previousChallenge' | 'storedCounter'>;
  inputs: number;
}

// ---- the console's side ------------------------------------------------------------------------

function jsonPost(context: Context, session: HeldSession, path: string, body: unknown): Promise<ConsoleResponse> {
  return context.site.http.send({
    method: 'POST',
    path,
    headers: { cookie: session.cookie, origin: context.site.origin, 'content-type': 'application/json', 'x-csrf-token': session.csrfToken },
    body: JSON.stringify(body),
  });
}

async function ceremonyOptions<T>(context: Context, session: HeldSession, path: string, body: unknown): Promise<T> {
  const answer = await jsonPost(context, session, path, body);
  const parsed = JSON.parse(answer.text) as { ok: boolean; options?: T };
  if (answer.status !== 200 || !parsed.ok || !parsed.options) throw new Error(`POST ${path} answered ${answer.status}: ${answer.text.slice(0, 300)}`);
  return parsed.options;
}

async function registrantSession(context: Context): Promise<HeldSession> {
  context.registrant ??= await passwordSession(context.site.http, signInAs(REGISTRANT), context.site.origin);
  return context.registrant;
}

async function keyholderSession(context: Context): Promise<HeldSession> {
  context.keyholder ??= await passwordSession(context.site.http, signInAs(KEYHOLDER), context.site.origin);
  return context.keyholder;
}

/** A security key registered for `who` through the console, as the workshop's user does it. */
async function registerKey(context: Context, who: { userName: string; password: string }): Promise<void> {
  const session = await passwordSession(context.site.http, signInAs(who), context.site.origin);
  const options = await ceremonyOptions<PublicKeyCredentialCreationOptionsJSON>(context, session, '/console/api/mfa/security-key/options', { deviceName: DEVICE_NAME });
  const answer = await jsonPost(context, session, '/console/api/mfa/security-key/verify', { credential: await context.key.browser.create(options) });
  if (answer.status !== 200) throw new Error(`registering ${who.userName}'s key answered ${answer.status}: ${answer.text}`);
}

const storedCounter = (context: Context): number => context.site.env.server.store.mfa.listSecurityKeys(KEYHOLDER.userName)[0].counter;

// ---- judging -----------------------------------------------------------------------------------

type Expected = 'accept' | Verdict;

function describe(input: WebAuthnInput, body: unknown, response: ConsoleResponse, failures: string[]): string {
  return `${JSON.stringify(input)}\nposted: ${JSON.stringify(body).slice(0, 1500)}\n-> ${response.status} ${response.text.slice(0, 300)}${failures.length > 0 ? `\nconsole logged: ${failures.join('\n')}` : ''}`;
}

/** Posts the verification and checks the answer against what was expected; returns whether it was accepted. */
async function verify(context: Context, session: HeldSession, path: string, body: unknown, expected: Expected, input: WebAuthnInput): Promise<{ accepted: boolean; label: string }> {
  context.iam.mark();
  const response = await jsonPost(context, session, path, body);
  const failures = context.site.takeFailures();
  // A new cookie means the session moved on (signed in): the next input needs another, finding or not.
  if (response.setCookie.length > 0 && session === context.keyholder) context.keyholder = undefined;
  const fail = (what: string): never => {
    throw new Error(`${what}\ninput: ${describe(input, body, response, failures)}`);
  };
  let answer;
  try {
    answer = readAnswer(response, 'json');
  } catch (error) {
    return fail((error as Error).message);
  }
  const label = answerLabel(answer);
  const accepted = answer.kind === 'json' && answer.ok;
  if (accepted && expected === 'reject') fail(`the console accepted a response it must refuse (${label})`);
  if (!accepted && expected === 'accept') fail(`the console refused the unmodified response (${label})`);
  if (!accepted) {
    if (response.setCookie.length > 0) fail(`a refused response changed the session cookie (${label})`);
    if (context.iam.since() === 'changed') fail(`a refused response changed IAM state: MFA devices or their counters (${label})`);
  }
  return { accepted, label: expected === 'either' && accepted ? `${label} (equivalent)` : label };
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

// ---- the ceremonies ------------------------------------------------------------------------------

async function registration(context: Context, input: Extract<WebAuthnInput, { ceremony: 'registration' }>): Promise<string> {
  // Keys an earlier input registered are taken away, so that the quota of 8 is never reached and
  // the key is never excluded from registering again.
  const { mfa } = context.site.env.server.store;
  for (const key of mfa.listSecurityKeys(REGISTRANT.userName)) mfa.deactivate(REGISTRANT.userName, key.serialNumber);
  const session = await registrantSession(context);
  const path = '/console/api/mfa/security-key/verify';
  const options = await ceremonyOptions<PublicKeyCredentialCreationOptionsJSON>(context, session, '/console/api/mfa/security-key/options', { deviceName: DEVICE_NAME });
  const format: Format = input.source === 'none' ? 'none' : 'fido-u2f';
  const fresh = (await context.key.browser.create(format === 'none' ? { ...options, attestation: 'none' } : options)) as RegistrationResponseJSON;
  const stale = input.source === 'replay' ? context.lastRegistration : undefined;
  const base = stale ?? fresh;
  let sourceVerdict: Expected = stale ? 'reject' : 'accept';
  if (input.source === 'spent') {
    await jsonPost(context, session, path, { credential: {} });
    sourceVerdict = 'reject';
  }
  const mutationContext: RegistrationContext = { ...context.mutation, challenge: options.challenge, previousChallenge: context.previousChallenge, storedCounter: 0 };
  const mutated = input.mutation ? applyRegistrationMutation(base as unknown as RegistrationJson, input.mutation, format, mutationContext) : { body: { credential: base }, verdict: 'either' as Verdict };
  const unmodified = same(mutated.body, { credential: base });
  const expected: Expected = unmodified ? sourceVerdict : sourceVerdict === 'reject' ? 'reject' : mutated.verdict;
  context.previousChallenge = options.challenge;
  if (!stale) context.lastRegistration = fresh;
  const { accepted, label } = await verify(context, session, path, mutated.body, expected, input);
  const keys = mfa.listSecurityKeys(REGISTRANT.userName).length;
  if (accepted && keys !== 1) throw new Error(`an accepted registration left ${keys} security keys\ninput: ${JSON.stringify(input)}`);
  return `registration ${input.source === 'fido-u2f' || input.source === 'none' ? '' : `${input.source} `}${label}`;
}

async function assertion(context: Context, input: Extract<WebAuthnInput, { ceremony: 'assertion' }>): Promise<string> {
  const session = await keyholderSession(context);
  const path = '/console/api/signin/verify';
  const options = await ceremonyOptions<PublicKeyCredentialRequestOptionsJSON>(context, session, '/console/api/signin/options', {});
  const { origin } = context.site;
  const rpId = options.rpId!;
  const counterBefore = storedCounter(context);
  const mutationContext = { ...context.mutation, challenge: options.challenge, previousChallenge: context.previousChallenge, storedCounter: counterBefore };
  const validClientData = serializeClientData({ type: 'webauthn.get', challenge: options.challenge, origin, crossOrigin: false });

  const mutation = input.mutation;
  let base: AuthenticationResponseJSON;
  let body: unknown;
  let unmodified: boolean;
  let verdict: Verdict;
  // Whether the response, unmodified, answers this challenge for this user's key.
  let valid = true;
  if (input.source === 'key' && mutation?.at === 'client-data' && mutation.resign) {
    // A browser that writes what it likes into the client data, and an honest key that signs it.
    const edited = applyClientDataEdit(validClientData, mutation.edit, mutationContext);
    base = await signedAssertion({ u2f: context.key.u2f, credentialId: options.allowCredentials![0].id, rpId, clientDataJSON: edited.bytes });
    body = { credential: base };
    unmodified = same(edited.bytes, validClientData);
    verdict = edited.verdict;
  } else {
    if (input.source === 'clone') {
      // The clone signs a counter the console has seen already: the stored one, or one below.
      await context.clone.windCounterBack(Math.max(counterBefore - 1 - input.cloneLag, 0));
      base = await context.clone.browser.get(options);
      valid = false;
    } else if (input.source === 'other-credential') {
      base = await signedAssertion({ u2f: context.key.u2f, credentialId: context.mutation.otherCredentialId, rpId, clientDataJSON: validClientData });
      valid = false;
    } else if (input.source === 'replay' && context.lastAssertion) {
      base = context.lastAssertion;
      valid = false;
    } else {
      base = await context.key.browser.get(options);
    }
    if (input.source === 'spent') {
      await jsonPost(context, session, path, { credential: {} });
      valid = false;
    }
    const mutated = mutation ? applyAssertionMutation(base as unknown as AssertionJson, mutation, mutationContext) : { body: { credential: base }, verdict: 'either' as Verdict };
    body = mutated.body;
    unmodified = same(body, { credential: base });
    verdict = mutated.verdict;
  }
  const expected: Expected = !valid ? 'reject' : unmodified ? 'accept' : verdict;
  context.previousChallenge = options.challenge;
  if (valid && unmodified) context.lastAssertion = base;
  const { accepted, label } = await verify(context, session, path, body, expected, input);
  if (accepted) {
    // Signed in now, with the counter the key signed.
    const signed = new DataView(fromBase64url(base.response.authenticatorData, 'authenticator data').buffer).getUint32(33);
    if (storedCounter(context) !== signed) throw new Error(`an accepted assertion stored counter ${storedCounter(context)}, not the signed ${signed}\ninput: ${JSON.stringify(input)}`);
  } else if (storedCounter(context) !== counterBefore) {
    throw new Error(`a refused assertion moved the stored counter from ${counterBefore} to ${storedCounter(context)}\ninput: ${JSON.stringify(input)}`);
  }
  return `assertion ${input.source === 'key' ? '' : `${input.source} `}${label}`;
}

/** The keyholder's half-signed-in session must still be only that, and the registrant's signed in. */
async function probeSessions(context: Context): Promise<void> {
  const { http } = context.site;
  if (context.keyholder) {
    const page = await http.send({ method: 'GET', path: '/console/iam', headers: { cookie: context.keyholder.cookie } });
    if (page.status !== 303 || page.location !== '/console/signin') throw new Error(`the keyholder's session waiting for MFA opened /console/iam (${page.status} ${page.location ?? ''})`);
  }
  if (context.registrant) {
    const page = await http.send({ method: 'GET', path: '/console/iam/security-credentials', headers: { cookie: context.registrant.cookie } });
    if (page.status !== 200) throw new Error(`the registrant's session stopped working (${page.status})`);
  }
}

export default defineFuzzTarget<Context, WebAuthnInput>({
  name: 'webauthn-responses',
  surface: 'mock console WebAuthn registration and MFA sign-in endpoints: token responses mutated, replayed, cloned',
  input,
  hangMilliseconds: 10_000,
  async setup() {
    const site = await startFuzzConsole();
    const { root, server } = site.env;
    for (const who of [REGISTRANT, KEYHOLDER, OTHER]) {
      await createConsoleUser(root, who);
      await root.send(new AttachUserPolicyCommand({ UserName: who.userName, PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }));
    }
    const dir = await mkdtemp(join(tmpdir(), 'keyloop-fuzz-webauthn-'));
    const keyDir = join(dir, 'key');
    const origin = site.origin;
    const first = await FuzzKey.open({ stateDir: keyDir, origin });
    const context: Context = {
      site,
      dir,
      key: first,
      clone: first,
      iam: new IamStateWatch(server.store),
      registrant: undefined,
      keyholder: undefined,
      lastRegistration: undefined,
      lastAssertion: undefined,
      previousChallenge: '',
      mutation: { origin, rpId: site.env.console.rpId, otherCredentialId: '', otherCredential: { id: new Uint8Array(0), publicKey: new Uint8Array(0) }, wrongKey: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey },
      inputs: 0,
    };
    await registerKey(context, KEYHOLDER);
    await registerKey(context, OTHER);
    // The clone: the key's state copied while the key is off, so both continue from one counter.
    await first.close();
    await copyKeyState(keyDir, join(dir, 'clone'));
    context.key = await FuzzKey.open({ stateDir: keyDir, origin });
    context.clone = await FuzzKey.open({ stateDir: join(dir, 'clone'), origin });
    const other = server.store.mfa.listSecurityKeys(OTHER.userName)[0];
    context.mutation.otherCredentialId = other.credentialId.toString('base64url');
    context.mutation.otherCredential = { id: other.credentialId, publicKey: other.publicKey };
    // One sign-in with the key, so that the console's counter is at or past anything the clone signs.
    const signIn = await assertion(context, { ceremony: 'assertion', source: 'key', mutation: undefined, cloneLag: 0 });
    if (!signIn.endsWith('200 ok')) throw new Error(`the keyholder could not sign in with the key: ${signIn}`);
    return context;
  },
  async execute(context, input) {
    context.inputs += 1;
    const label = input.ceremony === 'registration' ? await registration(context, input) : await assertion(context, input);
    if (context.inputs % PROBE_EVERY === 0) await probeSessions(context);
    return label;
  },
  async teardown(context) {
    try {
      await probeSessions(context);
      const signIn = await assertion(context, { ceremony: 'assertion', source: 'key', mutation: undefined, cloneLag: 0 });
      if (!signIn.endsWith('200 ok')) throw new Error(`after the run, the keyholder could not sign in with the key: ${signIn}`);
    } finally {
      await context.clone.close();
      await context.key.close();
      await context.site.close();
      await rm(context.dir, { recursive: true, force: true });
    }
  },
});
