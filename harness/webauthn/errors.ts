// WebAuthn client errors, named after the DOMException a browser rejects with
// (W3C WebAuthn Level 2 §5.1.3 create and §5.1.4 get say which name each failure gets).

export type WebAuthnErrorName = 'NotAllowedError' | 'InvalidStateError' | 'SecurityError' | 'NotSupportedError' | 'TimeoutError';

/**
 * Why the ceremony failed, finer than the DOMException name, so tests assert on a code.
 * TimeoutError stays in the name union for callers matching browser names, but Level 2 reports
 * an expired timer as NotAllowedError, and so does this client ('presence-timeout').
 */
export type WebAuthnErrorReason =
  /** SecurityError: the origin is not https (nor http://localhost). */
  | 'insecure-origin'
  /** SecurityError: the origin's host is an IP address, not a domain. */
  | 'invalid-domain'
  /** SecurityError: the rp id is neither the origin's host nor a registrable suffix of it. */
  | 'rp-id-mismatch'
  /** NotSupportedError: pubKeyCredParams offers no ES256, the only algorithm U2F has. */
  | 'unsupported-algorithm'
  /** NotAllowedError: the RP asks for what a U2F key cannot do (platform, resident key, UV). */
  | 'authenticator-ineligible'
  /** InvalidStateError: the token already holds a credential from excludeCredentials. */
  | 'credential-excluded'
  /** NotAllowedError: no allowCredentials entry belongs to the token. */
  | 'no-matching-credential'
  /** NotAllowedError: no touch before the timeout. */
  | 'presence-timeout'
  /** NotAllowedError: the token answered with an unexpected status word or a malformed response. */
  | 'authenticator-error';

export interface WebAuthnErrorOptions {
  name: WebAuthnErrorName;
  reason: WebAuthnErrorReason;
  message: string;
  /** The lower-layer error (ApduError, PresenceTimeoutError, ...) when there is one. */
  cause?: unknown;
}

export class WebAuthnError extends Error {
  override readonly name: WebAuthnErrorName;
  readonly reason: WebAuthnErrorReason;

  constructor({ name, reason, message, cause }: WebAuthnErrorOptions) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = name;
    this.reason = reason;
  }
}
