// The U2F token layer (FIDO U2F Raw Message Formats v1.2). Public API only; see token.ts.
export { U2fToken, type U2fTokenOptions, type ApduEvent } from './token.ts';
export { parsePresencePolicy, formatPresencePolicy, type PresencePolicy } from './presence.ts';
export { loadProfile, parseProfile, DEFAULT_PROFILE_PATH, type DeviceProfile, type ParseProfileOptions } from './profile.ts';
export { StatusWord, statusWordName, type StatusWordName, type StatusWordValue } from './status-words.ts';
export { U2fInstruction, AuthenticateControl, instructionName, type U2fInstructionName } from './instructions.ts';
export { TokenError, type TokenErrorCode } from './token-error.ts';
export { parseApdu, encodeResponse, responseStatus, type CommandApdu } from './apdu.ts';
export {
  parseRegisterRequest,
  parseAuthenticateRequest,
  encodeRegisterResponse,
  encodeAuthenticateResponse,
  registerSignedData,
  authenticateSignedData,
  type RegisterRequest,
  type AuthenticateRequest,
  type RegisterResponse,
  type AuthenticateResponse,
} from './messages.ts';
export { FileCounterStore, MemoryCounterStore, type CounterStore } from './counter-store.ts';
export { NobleSigner, NodeSigner, type Signer, type SignerKind } from './signer.ts';
export type { AttestationFiles } from './attestation.ts';
