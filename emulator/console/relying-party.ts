// The console's WebAuthn relying party (W3C WebAuthn Level 2 §7.1 "Registering a new credential",
// §7.2 "Verifying an authentication assertion") on @simplewebauthn/server. Before the library
// verifies signatures and attestation, the steps a test must be able to tell apart are checked
// here and reported by code: client data type, challenge and origin, the RP ID hash, user
// presence, the attestation format, the credential and its signature counter (§6.1.1: a counter
// that does not grow means a cloned authenticator). Nothing here changes state; callers store.
import { createHash } from 'node:crypto';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/server';
import { decodeAttestationObject, decodeClientDataJSON, decodeCredentialPublicKey, isoBase64URL, parseAuthenticatorData } from '@simplewebauthn/server/helpers';
import type { SecurityKey } from '../iam/store/mfa.ts';
import { isUsablePublicKey } from './credential-public-key.ts';
import { isDerEcdsaSignature } from './ecdsa-der.ts';
import { parseAuthenticationResponse, parseRegistrationResponse } from './webauthn-json.ts';

/** Attestation formats a security key registration may use. */
export const ACCEPTED_ATTESTATION_FORMATS = ['fido-u2f', 'packed', 'none'] as const;

/** COSE algorithms offered: ES256 (every U2F key) and RS256. */
const ES256 = -7;
const SUPPORTED_ALGORITHMS = [ES256, -257];
/** §7.1: longer credential ids SHOULD fail the registration. */
const MAX_CREDENTIAL_ID_BYTES = 1023;

export type RpRejectionCode =
  | 'invalid-response'
  | 'wrong-type'
  | 'wrong-challenge'
  | 'wrong-origin'
  | 'wrong-rp-id'
  | 'user-not-present'
  | 'unsupported-attestation'
  | 'unknown-credential'
  | 'counter-not-increased';

export type RpOutcome<T> = { ok: true; value: T } | { ok: false; code: RpRejectionCode; message: string };

export interface RegisteredCredential {
  credentialId: Uint8Array;
  /** COSE public key as the authenticator sent it. */
  publicKey: Uint8Array;
  counter: number;
  attestationFormat: string;
  attestationObject: Uint8Array;
}

export interface RelyingPartyOptions {
  /** The RP ID, e.g. `localhost` for http://localhost:4566/console. */
  rpId: string;
  /** The name a browser shows. */
  rpName: string;
  /** The one origin whose client data is accepted, e.g. `http://localhost:4566`. */
  origin: string;
  /** How long the browser may wait for a touch, in milliseconds. */
  timeoutMs?: number;
}

const isEs256 = (cose: Uint8Array): boolean => decodeCredentialPublicKey(Uint8Array.from(cose)).get(3) === ES256;

const reject = (code: RpRejectionCode, message: string): { ok: false; code: RpRejectionCode; message: string } => ({ ok: false, code, message });

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

interface Collected {
  clientData: { type: string; challenge: string; origin: string; crossOrigin: unknown; topOrigin: unknown };
  authData: ReturnType<typeof parseAuthenticatorData>;
}

export class RelyingParty {
  readonly rpId: string;
  readonly origin: string;
  readonly #rpName: string;
  readonly #timeoutMs: number;
  readonly #rpIdHash: Buffer;

  constructor({ rpId, rpName, origin, timeoutMs = 60_000 }: RelyingPartyOptions) {
    this.rpId = rpId;
    this.origin = origin;
    this.#rpName = rpName;
    this.#timeoutMs = timeoutMs;
    this.#rpIdHash = createHash('sha256').update(rpId).digest();
  }

  /** Creation options for a security key: direct attestation, so fido-u2f statements are kept. */
  registrationOptions({ userId, userName, exclude }: { userId: Uint8Array; userName: string; exclude: readonly SecurityKey[] }): Promise<PublicKeyCredentialCreationOptionsJSON> {
    return generateRegistrationOptions({
      rpName: this.#rpName,
      rpID: this.rpId,
      userID: Uint8Array.from(userId),
      userName,
      userDisplayName: userName,
      timeout: this.#timeoutMs,
      attestationType: 'direct',
      excludeCredentials: exclude.map((key) => ({ id: isoBase64URL.fromBuffer(Uint8Array.from(key.credentialId)), transports: ['usb'] })),
      authenticatorSelection: { authenticatorAttachment: 'cross-platform', residentKey: 'discouraged', userVerification: 'discouraged' },
      supportedAlgorithmIDs: SUPPORTED_ALGORITHMS,
      preferredAuthenticatorType: 'securityKey',
    });
  }

  authenticationOptions(keys: readonly SecurityKey[]): Promise<PublicKeyCredentialRequestOptionsJSON> {
    return generateAuthenticationOptions({
      rpID: this.rpId,
      timeout: this.#timeoutMs,
      allowCredentials: keys.map((key) => ({ id: isoBase64URL.fromBuffer(Uint8Array.from(key.credentialId)), transports: ['usb'] })),
      userVerification: 'discouraged',
    });
  }

  async verifyRegistration(body: unknown, expectedChallenge: string): Promise<RpOutcome<RegisteredCredential>> {
    const response = parseRegistrationResponse(body);
    if (!response) return reject('invalid-response', 'The browser sent no well-formed registration response.');
    let format: string;
    let authData: Uint8Array;
    let statement: Map<string, unknown> | undefined;
    try {
      const attestation = decodeAttestationObject(isoBase64URL.toBuffer(response.response.attestationObject));
      format = attestation.get('fmt');
      authData = attestation.get('authData');
      statement = attestation.get('attStmt') as Map<string, unknown> | undefined;
    } catch (error) {
      return reject('invalid-response', `The attestation object could not be decoded: ${errorText(error)}`);
    }
    // §6.5.4: the map's keys are the text "fmt", "attStmt", "authData" (CTAP2's integer keys are
    // the authenticator's form, which the browser converts).
    if (typeof format !== 'string' || !(authData instanceof Uint8Array)) {
      return reject('invalid-response', 'The attestation object has no text-keyed "fmt" and "authData" (WebAuthn §6.5.4).');
    }
    const collected = this.#collect(response.response.clientDataJSON, authData);
    if (!collected.ok) return collected;
    const problem = this.#checkCollected(collected.value, 'webauthn.create', expectedChallenge);
    if (problem) return problem;
    if (!(ACCEPTED_ATTESTATION_FORMATS as readonly string[]).includes(format)) {
      return reject('unsupported-attestation', `Attestation format "${format}" is not accepted; use ${ACCEPTED_ATTESTATION_FORMATS.join(', ')}.`);
    }
    // fido-u2f always signs with ES256; packed names its algorithm.
    const sig = statement instanceof Map ? statement.get('sig') : undefined;
    if ((format === 'fido-u2f' || statement?.get('alg') === ES256) && sig instanceof Uint8Array && !isDerEcdsaSignature(sig)) {
      return reject('invalid-response', 'The attestation signature is not DER-encoded (WebAuthn §6.5.5).');
    }
    try {
      const verification = await verifyRegistrationResponse({
        response,
        expectedChallenge,
        expectedOrigin: this.origin,
        expectedRPID: this.rpId,
        // U2F keys prove presence, never the user's identity.
        requireUserVerification: false,
        supportedAlgorithmIDs: SUPPORTED_ALGORITHMS,
      });
      if (!verification.verified || !verification.registrationInfo) return reject('invalid-response', 'The registration response did not verify.');
      const { credential, fmt, attestationObject } = verification.registrationInfo;
      // The response's id names the credential (§5.1, the base64url of rawId): it must be the one the key attested.
      if (credential.id !== response.id) return reject('invalid-response', 'The response names another credential than the one the security key attested.');
      if (isoBase64URL.toBuffer(credential.id).length > MAX_CREDENTIAL_ID_BYTES) return reject('invalid-response', `The credential id is longer than ${MAX_CREDENTIAL_ID_BYTES} bytes.`);
      if (!isUsablePublicKey(credential.publicKey)) return reject('invalid-response', 'The credential public key is not a well-formed ES256 or RS256 key.');
      return {
        ok: true,
        value: { credentialId: isoBase64URL.toBuffer(credential.id), publicKey: credential.publicKey, counter: credential.counter, attestationFormat: fmt, attestationObject },
      };
    } catch (error) {
      return reject('invalid-response', `The registration response did not verify: ${errorText(error)}`);
    }
  }

  /** `userHandle` is the user's id as registrationOptions gave it (a U2F key returns none). */
  async verifyAuthentication(body: unknown, expectedChallenge: string, keys: readonly SecurityKey[], userHandle: Uint8Array): Promise<RpOutcome<{ key: SecurityKey; newCounter: number }>> {
    const response = parseAuthenticationResponse(body);
    if (!response) return reject('invalid-response', 'The browser sent no well-formed assertion.');
    const key = keys.find((candidate) => isoBase64URL.fromBuffer(Uint8Array.from(candidate.credentialId)) === response.id);
    if (!key) return reject('unknown-credential', 'This security key is not registered to this user.');
    // §7.2 step 6: a user handle, when the response has one, must be this user's.
    if (response.response.userHandle !== undefined && response.response.userHandle !== isoBase64URL.fromBuffer(Uint8Array.from(userHandle))) {
      return reject('unknown-credential', 'The response names another user than the one signing in.');
    }
    let authData: Uint8Array;
    try {
      authData = isoBase64URL.toBuffer(response.response.authenticatorData);
    } catch (error) {
      return reject('invalid-response', `The authenticator data could not be decoded: ${errorText(error)}`);
    }
    const collected = this.#collect(response.response.clientDataJSON, authData);
    if (!collected.ok) return collected;
    const problem = this.#checkCollected(collected.value, 'webauthn.get', expectedChallenge);
    if (problem) return problem;
    const signature = isoBase64URL.toBuffer(response.response.signature);
    if (isEs256(key.publicKey) && !isDerEcdsaSignature(signature)) return reject('invalid-response', 'The signature is not DER-encoded (WebAuthn §6.5.5).');
    const counter = collected.value.authData.counter;
    if ((counter > 0 || key.counter > 0) && counter <= key.counter) {
      return reject('counter-not-increased', `The security key's signature counter did not increase (stored ${key.counter}, received ${counter}); the key may have been cloned.`);
    }
    try {
      const verification = await verifyAuthenticationResponse({
        response,
        expectedChallenge,
        expectedOrigin: this.origin,
        expectedRPID: this.rpId,
        credential: { id: response.id, publicKey: Uint8Array.from(key.publicKey), counter: key.counter, transports: ['usb'] },
        requireUserVerification: false,
      });
      if (!verification.verified) return reject('invalid-response', 'The assertion did not verify.');
      return { ok: true, value: { key, newCounter: verification.authenticationInfo.newCounter } };
    } catch (error) {
      return reject('invalid-response', `The assertion did not verify: ${errorText(error)}`);
    }
  }

  #collect(clientDataJSON: string, authData: Uint8Array): RpOutcome<Collected> {
    try {
      const clientData = decodeClientDataJSON(clientDataJSON) as unknown as Record<string, unknown>;
      const { type, challenge, origin, crossOrigin, topOrigin } = clientData;
      if (typeof type !== 'string' || typeof challenge !== 'string' || typeof origin !== 'string') {
        return reject('invalid-response', 'clientDataJSON lacks its type, challenge or origin.');
      }
      return { ok: true, value: { clientData: { type, challenge, origin, crossOrigin, topOrigin }, authData: parseAuthenticatorData(Uint8Array.from(authData)) } };
    } catch (error) {
      return reject('invalid-response', `The client data or authenticator data could not be decoded: ${errorText(error)}`);
    }
  }

  /** The checks §7.1 and §7.2 share, in the order the specification lists them. */
  #checkCollected({ clientData, authData }: Collected, type: 'webauthn.create' | 'webauthn.get', expectedChallenge: string): RpOutcome<never> | undefined {
    if (clientData.type !== type) return reject('wrong-type', `clientDataJSON.type is "${clientData.type}", expected "${type}".`);
    if (clientData.challenge !== expectedChallenge) return reject('wrong-challenge', 'The response answers a different challenge than the one this page issued.');
    if (clientData.origin !== this.origin) return reject('wrong-origin', `The response comes from origin ${clientData.origin}, expected ${this.origin}.`);
    // Level 3 §7.1 / §7.2 ask whether the RP expects a cross-origin frame: the console never is one (frame-ancestors 'none').
    if ((clientData.crossOrigin !== undefined && clientData.crossOrigin !== false) || clientData.topOrigin !== undefined) {
      return reject('wrong-origin', 'The response comes from a page framed by another origin; the console is never framed.');
    }
    if (!this.#rpIdHash.equals(authData.rpIdHash)) return reject('wrong-rp-id', `The credential is scoped to another RP ID than ${this.rpId}.`);
    if (!authData.flags.up) return reject('user-not-present', 'The security key did not report user presence (no touch).');
    return undefined;
  }
}
