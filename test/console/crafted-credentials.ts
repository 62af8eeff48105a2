// WebAuthn responses no honest browser-and-token pair would send, made for the console's
// rejection tests: a registration with the user-presence flag cleared (fido-u2f leaves flags
// unsigned), an assertion signed without presence (U2F "don't enforce", P1 0x08), an assertion
// whose authenticator data names another RP, a packed self-attestation from a software key, and
// an assertion the token signs over whatever client data a dishonest browser wrote.
import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { decode } from 'cbor-x';
import type { AuthenticationResponseJSON, PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import type { U2fClient } from '../../harness/u2f/index.ts';
import {
  AuthenticatorDataFlag,
  coseKeyFromU2fPublicKey,
  encodeAttestedCredentialData,
  encodeAuthenticatorData,
  encodeCbor,
  fromBase64url,
  serializeClientData,
  toBase64url,
  type CborValue,
} from '../../harness/webauthn/index.ts';

const sha256 = (bytes: Uint8Array | string): Uint8Array => new Uint8Array(createHash('sha256').update(bytes).digest());
const bytes = (text: string): Uint8Array => fromBase64url(text, 'test value');

/** The registration with authData's UP flag cleared, in both places the response carries it. */
export function withoutRegistrationPresence(response: RegistrationResponseJSON): RegistrationResponseJSON {
  const attestation = decode(bytes(response.response.attestationObject)) as { fmt: string; attStmt: { [key: string]: CborValue }; authData: Uint8Array };
  const authData = Uint8Array.from(attestation.authData);
  authData[32] &= ~AuthenticatorDataFlag.UP;
  const attestationObject = encodeCbor({ fmt: attestation.fmt, attStmt: attestation.attStmt, authData });
  return { ...response, response: { ...response.response, attestationObject: toBase64url(attestationObject), authenticatorData: toBase64url(authData) } };
}

/** The attestation object in CTAP2's form (integer keys 1 fmt, 2 authData, 3 attStmt), not WebAuthn's. */
export function withIntegerKeys(response: RegistrationResponseJSON): RegistrationResponseJSON {
  const attestation = decode(bytes(response.response.attestationObject)) as { fmt: string; attStmt: { [key: string]: CborValue }; authData: Uint8Array };
  const ctap2 = encodeCbor(new Map<number, CborValue>([[1, attestation.fmt], [2, attestation.authData], [3, attestation.attStmt]]));
  return { ...response, response: { ...response.response, attestationObject: toBase64url(ctap2) } };
}

/** The assertion with another RP ID's hash in its authenticator data (its signature no longer holds). */
export function withRpId(response: AuthenticationResponseJSON, rpId: string): AuthenticationResponseJSON {
  const authData = Uint8Array.from(bytes(response.response.authenticatorData));
  authData.set(sha256(rpId), 0);
  return { ...response, response: { ...response.response, authenticatorData: toBase64url(authData) } };
}

/** A validly signed assertion for `options`' first credential, made without a touch (UP = 0). */
export async function assertionWithoutPresence({ u2f, options, origin }: { u2f: U2fClient; options: PublicKeyCredentialRequestOptionsJSON; origin: string }): Promise<AuthenticationResponseJSON> {
  const clientDataJSON = serializeClientData({ type: 'webauthn.get', challenge: options.challenge, origin, crossOrigin: false });
  return signedAssertion({ u2f, credentialId: options.allowCredentials![0].id, rpId: options.rpId!, clientDataJSON, mode: 'dont-enforce' });
}

export interface SignedAssertionRequest {
  u2f: U2fClient;
  /** base64url, as the RP's allowCredentials names it. */
  credentialId: string;
  rpId: string;
  /** Whatever a browser, honest or not, put in the client data: the token signs its hash. */
  clientDataJSON: Uint8Array;
  mode?: 'enforce' | 'dont-enforce';
}

/** The token's assertion over `clientDataJSON` as given, in the JSON a browser returns. */
export async function signedAssertion({ u2f, credentialId, rpId, clientDataJSON, mode = 'enforce' }: SignedAssertionRequest): Promise<AuthenticationResponseJSON> {
  const application = sha256(rpId);
  const assertion = await u2f.authenticate({ challenge: sha256(clientDataJSON), application, keyHandle: bytes(credentialId), mode });
  const authenticatorData = encodeAuthenticatorData({ rpIdHash: application, flags: assertion.flags, counter: assertion.counter });
  return {
    id: credentialId,
    rawId: credentialId,
    type: 'public-key',
    response: { clientDataJSON: toBase64url(clientDataJSON), authenticatorData: toBase64url(authenticatorData), signature: toBase64url(assertion.signature) },
    clientExtensionResults: {},
  };
}

/** A software authenticator's registration with packed self attestation (§8.2), or another fmt label. */
export function softwareRegistration({ options, origin, fmt = 'packed' }: { options: PublicKeyCredentialCreationOptionsJSON; origin: string; fmt?: string }): RegistrationResponseJSON {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = publicKey.export({ format: 'jwk' });
  const point = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url')]);
  const credentialId = randomBytes(32);
  const authData = encodeAuthenticatorData({
    rpIdHash: sha256(options.rp.id!),
    flags: AuthenticatorDataFlag.UP | AuthenticatorDataFlag.AT,
    counter: 0,
    attestedCredentialData: encodeAttestedCredentialData({ credentialId, credentialPublicKey: coseKeyFromU2fPublicKey(point) }),
  });
  const clientDataJSON = serializeClientData({ type: 'webauthn.create', challenge: options.challenge, origin, crossOrigin: false });
  const sig = sign('sha256', Buffer.concat([authData, sha256(clientDataJSON)]), privateKey);
  const attestationObject = encodeCbor({ fmt, attStmt: { alg: -7, sig }, authData });
  return {
    id: toBase64url(credentialId),
    rawId: toBase64url(credentialId),
    type: 'public-key',
    response: { clientDataJSON: toBase64url(clientDataJSON), attestationObject: toBase64url(attestationObject), transports: ['usb'] },
    clientExtensionResults: {},
  };
}
