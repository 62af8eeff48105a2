// The registered credentials the U2F generators aim at: a few REGISTER calls through whatever
// carries APDUs (the token itself, or CTAPHID over USB/IP), each registration checked with
// node:crypto, so AUTHENTICATE inputs can use real key handles and be verified. Plus the token
// the in-process targets feed: fixed device secret, presence on, fast signer.
import { createHash } from 'node:crypto';
import { type ApduEvent, StatusWord, U2fInstruction, U2fToken, loadProfile } from '../../emulator/token/index.ts';
import { encodeApdu, parseRegisterResponse, splitResponse, verifyRegistration } from '../../harness/u2f/index.ts';

export interface RegisteredKey {
  /** Application parameter the handle was made for. */
  readonly application: Uint8Array;
  readonly keyHandle: Uint8Array;
  /** Uncompressed P-256 point that verifies this credential's signatures. */
  readonly publicKey: Uint8Array;
}

const sha256 = (text: string) => new Uint8Array(createHash('sha256').update(text).digest());

/** Two credentials for one application and one for another: handles can be swapped across both. */
const FIXTURES = [
  { application: sha256('https://fuzz.keyloop.test'), challenge: sha256('first') },
  { application: sha256('https://fuzz.keyloop.test'), challenge: sha256('second') },
  { application: sha256('https://other.keyloop.test'), challenge: sha256('third') },
];

/** Register the fixture credentials; throws unless each registration verifies. */
export async function registerFixtureKeys(send: (apdu: Uint8Array) => Promise<Uint8Array>): Promise<RegisteredKey[]> {
  const keys: RegisteredKey[] = [];
  for (const { application, challenge } of FIXTURES) {
    const data = new Uint8Array(64);
    data.set(challenge);
    data.set(application, 32);
    const { data: body, sw } = splitResponse(await send(encodeApdu({ ins: U2fInstruction.REGISTER, p1: 0x03, data })));
    if (sw !== StatusWord.NO_ERROR) throw new Error(`fixture REGISTER answered ${sw.toString(16)}; is presence auto?`);
    const registration = parseRegisterResponse(body);
    if (!verifyRegistration(registration, challenge, application)) throw new Error('fixture REGISTER signature does not verify');
    keys.push({ application, keyHandle: registration.keyHandle.slice(), publicKey: registration.userPublicKey.slice() });
  }
  return keys;
}

/** Fixed, so that an input replays to the same key handles. */
const DEVICE_SECRET = new Uint8Array(32).fill(0x5a);

/**
 * An in-memory token on the default profile with presence `auto` and the fixture credentials. The
 * node signer is several times faster than noble, and its signatures verify all the same.
 */
export async function openKeyedToken({ onApdu }: { onApdu?: (event: ApduEvent) => void } = {}): Promise<{ token: U2fToken; keys: RegisteredKey[] }> {
  const profile = { ...(await loadProfile()), presence: { mode: 'auto' } as const };
  const token = await U2fToken.open({ profile, deviceSecret: DEVICE_SECRET, signer: 'node', onApdu });
  const keys = await registerFixtureKeys((apdu) => token.process(apdu));
  return { token, keys };
}
