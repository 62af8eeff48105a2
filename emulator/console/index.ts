// The mock AWS console: sign-in with security keys, the IAM pages the workshop walks, and a
// WebAuthn relying party, served on the mock IAM's server at /console.
export { mountConsole } from './mount.ts';
export type { ConsoleOptions, MountedConsole } from './mount.ts';
export type { ConsoleLogger } from './context.ts';
export { RelyingParty, ACCEPTED_ATTESTATION_FORMATS } from './relying-party.ts';
export type { RelyingPartyOptions, RpOutcome, RpRejectionCode, RegisteredCredential } from './relying-party.ts';
