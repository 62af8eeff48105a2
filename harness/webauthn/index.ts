export * from './attestation-object.ts';
export * from './authenticator-data.ts';
export * from './base64url.ts';
export * from './cbor.ts';
export * from './client-data.ts';
export * from './cose-key.ts';
export * from './errors.ts';
export * from './rp-id.ts';
export * from './webauthn-client.ts';
// The JSON shapes the client takes and returns, from the RP library, so scenarios and RP agree.
export type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
