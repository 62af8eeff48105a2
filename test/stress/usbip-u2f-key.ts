// A virtual key as a host sees it over the USB/IP wire: import the bus id with the harness's
// userspace client, open a CTAPHID channel, speak U2F on it, and check every signature with
// node:crypto (harness/u2f/verify.ts) against the credential's registered public key.
import { createHash, randomBytes } from 'node:crypto';
import { CtaphidClient } from '../../harness/ctaphid/index.ts';
import { U2fClient, verifyAuthentication, verifyRegistration } from '../../harness/u2f/index.ts';
import { openUsbipTransport } from '../../harness/transports/usbip-client.ts';

/** The key answered, but wrongly: a signature that does not verify, no user presence. */
export class WrongAnswerError extends Error {
  override readonly name = 'WrongAnswerError';
}

/** What a relying party keeps after registration. */
export interface U2fCredential {
  /** SHA-256 of the app id. */
  readonly application: Uint8Array;
  readonly keyHandle: Uint8Array;
  /** Uncompressed P-256 point from the registration. */
  readonly publicKey: Uint8Array;
}

export interface UsbipU2fKey {
  readonly busId: string;
  /** The U2F client on this key's channel (for WebAuthnClient and the console). */
  readonly u2f: U2fClient;
  /** REGISTER for `appId`; WrongAnswerError unless the attestation signature verifies. */
  register(appId: string): Promise<U2fCredential>;
  /** AUTHENTICATE with a fresh challenge: the counter, once its signature verified (else WrongAnswerError). */
  authenticate(credential: U2fCredential): Promise<number>;
  /** Detach (closes the USB/IP connection). */
  close(): Promise<void>;
}

/** Hang timeouts only: under load on a busy machine an answer may take seconds, and that is no failure. */
const TIMEOUT_MS = 15_000;

export async function openUsbipU2fKey({ host = '127.0.0.1', port, busId }: { host?: string; port: number; busId: string }): Promise<UsbipU2fKey> {
  const transport = await openUsbipTransport({ host, port, busId, timeoutMs: TIMEOUT_MS });
  const ctaphid = await CtaphidClient.open(transport, { timeoutMs: TIMEOUT_MS });
  const u2f = new U2fClient({ channel: ctaphid });
  return {
    busId,
    u2f,
    async register(appId) {
      const application = sha256(appId);
      const challenge = new Uint8Array(randomBytes(32));
      const registration = await u2f.register({ challenge, application });
      if (!verifyRegistration(registration, challenge, application)) throw new WrongAnswerError(`${busId}: registration signature does not verify`);
      return { application, keyHandle: registration.keyHandle.slice(), publicKey: registration.userPublicKey.slice() };
    },
    async authenticate(credential) {
      const challenge = new Uint8Array(randomBytes(32));
      const assertion = await u2f.authenticate({ challenge, application: credential.application, keyHandle: credential.keyHandle });
      if (!assertion.userPresence) throw new WrongAnswerError(`${busId}: authentication without user presence`);
      if (!verifyAuthentication(assertion, credential.publicKey, challenge, credential.application)) {
        throw new WrongAnswerError(`${busId}: signature over counter ${assertion.counter} does not verify`);
      }
      return assertion.counter;
    },
    close: () => ctaphid.close(),
  };
}

const sha256 = (text: string): Uint8Array => new Uint8Array(createHash('sha256').update(text).digest());
