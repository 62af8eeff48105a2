// The browser's side of WebAuthn over a U2F-only key: navigator.credentials.create() and get()
// (W3C WebAuthn Level 2 §5.1.3, §5.1.4) mapped onto CTAP1 as CTAP 2.1 §10 "Interoperating with
// CTAP1/U2F authenticators" and Chromium's U2F fallback do, returning PublicKeyCredential.toJSON().
import { createHash } from 'node:crypto';
import type {
  AuthenticationExtensionsClientInputs,
  AuthenticationExtensionsClientOutputs,
  AuthenticationResponseJSON,
  AuthenticatorSelectionCriteria,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialDescriptorJSON,
  PublicKeyCredentialParameters,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { PresenceTimeoutError, p256PublicKey, type U2fClient } from '../u2f/index.ts';
import { encodeAttestationObject } from './attestation-object.ts';
import { AuthenticatorDataFlag, encodeAttestedCredentialData, encodeAuthenticatorData } from './authenticator-data.ts';
import { fromBase64url, toBase64url } from './base64url.ts';
import { serializeClientData, type ClientDataType } from './client-data.ts';
import { CoseKey, coseKeyFromU2fPublicKey } from './cose-key.ts';
import { WebAuthnError } from './errors.ts';
import { resolveRpId, unsafeRpId, type ResolvedRpId } from './rp-id.ts';

export interface WebAuthnClientOptions {
  /**
   * Opens a U2F client on the token, once per ceremony as a browser opens the device per request.
   * It receives the presence timeout to give its U2fClient (the runner's `token.u2f` fits); whoever
   * supplies it owns and closes the channels it opens.
   */
  u2f: (options: { presenceTimeoutMs: number }) => Promise<U2fClient>;
  /** The calling page's origin, e.g. `https://console.example`. */
  origin: string;
  /** How long to wait for a touch; default the RP's `timeout`, else 60 s. */
  presenceTimeoutMs?: number;
  /**
   * Skip the browser's origin and RP ID checks and send `origin` verbatim, so that a negative
   * scenario can show an RP a wrong origin or RP ID. Never set it for anything else.
   */
  unsafeSkipOriginCheck?: boolean;
}

const DEFAULT_PRESENCE_TIMEOUT_MS = 60_000;
/** A U2F key handle travels in one length byte (U2F Raw Message Formats §5.1). */
const MAX_KEY_HANDLE_LENGTH = 255;

export class WebAuthnClient {
  readonly #openU2f: WebAuthnClientOptions['u2f'];
  readonly #origin: string;
  readonly #presenceTimeoutMs?: number;
  readonly #unsafeSkipOriginCheck: boolean;

  constructor({ u2f, origin, presenceTimeoutMs, unsafeSkipOriginCheck = false }: WebAuthnClientOptions) {
    this.#openU2f = u2f;
    this.#origin = origin;
    this.#presenceTimeoutMs = presenceTimeoutMs;
    this.#unsafeSkipOriginCheck = unsafeSkipOriginCheck;
  }

  /** navigator.credentials.create({ publicKey }) with a U2F key, as toJSON() returns it. */
  async create(options: PublicKeyCredentialCreationOptionsJSON): Promise<RegistrationResponseJSON> {
    const { rpId, origin } = this.#resolve(options.rp.id);
    const userId = fromBase64url(options.user.id, 'user.id');
    if (userId.length < 1 || userId.length > 64) throw new TypeError(`user.id: expected 1 to 64 bytes, got ${userId.length}`);
    assertEs256Offered(options.pubKeyCredParams);
    assertEligibleForCreate(options.authenticatorSelection);

    const clientDataJSON = this.#clientData('webauthn.create', options.challenge, origin);
    const application = sha256(new TextEncoder().encode(rpId));
    const u2f = await this.#u2f(options.timeout);

    for (const keyHandle of keyHandlesOf(options.excludeCredentials)) {
      const owner = await viaToken(() => u2f.checkKeyHandle({ application, keyHandle }));
      // Chromium collects a touch before saying so; we answer at once.
      if (owner === 'own') {
        throw new WebAuthnError({ name: 'InvalidStateError', reason: 'credential-excluded', message: 'the token already holds a credential in excludeCredentials' });
      }
    }

    const registration = await viaToken(() => u2f.register({ challenge: sha256(clientDataJSON), application }));
    const credentialId = registration.keyHandle;
    const authenticatorData = encodeAuthenticatorData({
      rpIdHash: application,
      flags: AuthenticatorDataFlag.UP | AuthenticatorDataFlag.AT,
      counter: 0,
      attestedCredentialData: encodeAttestedCredentialData({
        credentialId,
        credentialPublicKey: coseKeyFromU2fPublicKey(registration.userPublicKey),
      }),
    });
    // Chromium returns attestation unless the RP asked for none (the default), then "none" format.
    const attestationObject = (options.attestation ?? 'none') === 'none'
      ? encodeAttestationObject({ fmt: 'none', authData: authenticatorData })
      : encodeAttestationObject({ fmt: 'fido-u2f', authData: authenticatorData, signature: registration.signature, certificate: registration.attestationCertificate });
    const spki = p256PublicKey(registration.userPublicKey).export({ format: 'der', type: 'spki' });

    return {
      id: toBase64url(credentialId),
      rawId: toBase64url(credentialId),
      response: {
        clientDataJSON: toBase64url(clientDataJSON),
        authenticatorData: toBase64url(authenticatorData),
        transports: ['usb'],
        publicKey: toBase64url(spki),
        publicKeyAlgorithm: CoseKey.alg.ES256,
        attestationObject: toBase64url(attestationObject),
      },
      authenticatorAttachment: 'cross-platform',
      clientExtensionResults: registrationExtensionResults(options.extensions),
      type: 'public-key',
    };
  }

  /** navigator.credentials.get({ publicKey }) with a U2F key, as toJSON() returns it. */
  async get(options: PublicKeyCredentialRequestOptionsJSON): Promise<AuthenticationResponseJSON> {
    const { rpId, origin } = this.#resolve(options.rpId);
    if (options.userVerification === 'required') throw ineligible('userVerification "required": a U2F key cannot verify the user');
    const keyHandles = keyHandlesOf(options.allowCredentials);
    // U2F keys hold no discoverable credentials: an empty allow list can never match.
    if (keyHandles.length === 0) throw noMatchingCredential('allowCredentials is empty; a U2F key has no discoverable credentials');

    const clientDataJSON = this.#clientData('webauthn.get', options.challenge, origin);
    const application = sha256(new TextEncoder().encode(rpId));
    const u2f = await this.#u2f(options.timeout);

    let keyHandle: Uint8Array | undefined;
    for (const candidate of keyHandles) {
      if ((await viaToken(() => u2f.checkKeyHandle({ application, keyHandle: candidate }))) === 'own') {
        keyHandle = candidate;
        break;
      }
    }
    if (!keyHandle) throw noMatchingCredential('no allowCredentials entry belongs to this token for this RP ID');

    const found = keyHandle;
    const assertion = await viaToken(() => u2f.authenticate({ challenge: sha256(clientDataJSON), application, keyHandle: found, mode: 'enforce' }));
    // The whole U2F presence byte becomes the flags byte: the token signed that byte, so the
    // signature verifies over authenticatorData || clientDataHash only if it is copied as is.
    const authenticatorData = encodeAuthenticatorData({ rpIdHash: application, flags: assertion.flags, counter: assertion.counter });

    return {
      id: toBase64url(found),
      rawId: toBase64url(found),
      response: {
        clientDataJSON: toBase64url(clientDataJSON),
        authenticatorData: toBase64url(authenticatorData),
        signature: toBase64url(assertion.signature),
        // userHandle is null for U2F credentials; toJSON() leaves it out.
      },
      authenticatorAttachment: 'cross-platform',
      clientExtensionResults: assertionExtensionResults(options.extensions),
      type: 'public-key',
    };
  }

  #resolve(rpId: string | undefined): ResolvedRpId {
    const request = { origin: this.#origin, rpId };
    return this.#unsafeSkipOriginCheck ? unsafeRpId(request) : resolveRpId(request);
  }

  #clientData(type: ClientDataType, challenge: string, origin: string): Uint8Array {
    // Decode and re-encode, as a browser turns the JSON challenge into bytes and back.
    const bytes = fromBase64url(challenge, 'challenge');
    return serializeClientData({ type, challenge: toBase64url(bytes), origin, crossOrigin: false });
  }

  #u2f(rpTimeoutMs: number | undefined): Promise<U2fClient> {
    return this.#openU2f({ presenceTimeoutMs: this.#presenceTimeoutMs ?? rpTimeoutMs ?? DEFAULT_PRESENCE_TIMEOUT_MS });
  }
}

function sha256(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(bytes).digest());
}

/** Public-key descriptors a U2F key could hold; longer ids cannot be sent in a U2F request. */
function keyHandlesOf(descriptors: PublicKeyCredentialDescriptorJSON[] | undefined): Uint8Array[] {
  return (descriptors ?? [])
    .filter((descriptor) => descriptor.type === 'public-key')
    .map((descriptor) => fromBase64url(descriptor.id, 'credential descriptor id'))
    .filter((id) => id.length > 0 && id.length <= MAX_KEY_HANDLE_LENGTH);
}

/** §5.1.3: an empty list means ES256 and RS256; U2F signs with ES256 only. */
function assertEs256Offered(params: PublicKeyCredentialParameters[]): void {
  if (params.length === 0) return;
  if (params.some((param) => param.type === 'public-key' && param.alg === CoseKey.alg.ES256)) return;
  throw new WebAuthnError({
    name: 'NotSupportedError',
    reason: 'unsupported-algorithm',
    message: `pubKeyCredParams offers ${params.map((param) => param.alg).join(', ')}; a U2F key needs ES256 (-7)`,
  });
}

/** A browser never offers a U2F key to requests it cannot satisfy; the request times out. */
function assertEligibleForCreate(selection: AuthenticatorSelectionCriteria | undefined): void {
  if (!selection) return;
  if (selection.authenticatorAttachment === 'platform') throw ineligible('authenticatorAttachment "platform": a U2F key is cross-platform');
  if (selection.residentKey === 'required' || (selection.residentKey === undefined && selection.requireResidentKey)) {
    throw ineligible('residentKey "required": a U2F key cannot store discoverable credentials');
  }
  if (selection.userVerification === 'required') throw ineligible('userVerification "required": a U2F key cannot verify the user');
}

function ineligible(message: string): WebAuthnError {
  return new WebAuthnError({ name: 'NotAllowedError', reason: 'authenticator-ineligible', message });
}

function noMatchingCredential(message: string): WebAuthnError {
  return new WebAuthnError({ name: 'NotAllowedError', reason: 'no-matching-credential', message });
}

/** Anything the token or its channel does wrong ends the ceremony as NotAllowedError, as in a browser. */
async function viaToken<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (cause) {
    if (cause instanceof PresenceTimeoutError) {
      throw new WebAuthnError({ name: 'NotAllowedError', reason: 'presence-timeout', message: 'no touch before the timeout', cause });
    }
    const detail = cause instanceof Error ? cause.message : String(cause);
    throw new WebAuthnError({ name: 'NotAllowedError', reason: 'authenticator-error', message: `token failed: ${detail}`, cause });
  }
}

/** credProps (§10.4): a U2F credential is never client-side discoverable. */
function registrationExtensionResults(inputs: AuthenticationExtensionsClientInputs | undefined): AuthenticationExtensionsClientOutputs {
  return inputs?.credProps ? { credProps: { rk: false } } : {};
}

/** appid (§10.1) is not implemented: when asked, report that it was not used. */
function assertionExtensionResults(inputs: AuthenticationExtensionsClientInputs | undefined): AuthenticationExtensionsClientOutputs {
  return inputs?.appid !== undefined ? { appid: false } : {};
}
