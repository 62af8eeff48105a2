// The caller's origin and the RP ID it may claim (W3C WebAuthn Level 2 §5.1.3 and §5.1.4.1,
// the origin and RP ID steps; HTML "is a registrable domain suffix of or is equal to").
import { WebAuthnError } from './errors.ts';

export interface RpIdRequest {
  /** The calling page's origin as the caller gave it. */
  origin: string;
  /** rp.id (create) or rpId (get); the origin's effective domain when absent. */
  rpId?: string;
}

export interface ResolvedRpId {
  rpId: string;
  /** The origin serialized as a browser puts it into clientDataJSON. */
  origin: string;
}

/** Check the origin and the RP ID a browser would, throwing SecurityError where it would. */
export function resolveRpId({ origin, rpId }: RpIdRequest): ResolvedRpId {
  const url = parseOrigin(origin);
  const host = url.hostname;
  // Secure contexts only; Chromium also counts http://localhost as one.
  const secure = url.protocol === 'https:' || (url.protocol === 'http:' && isLocalhost(host));
  if (!secure) throw securityError('insecure-origin', `origin ${origin} is not a secure context (https)`);
  if (isIpAddress(host)) throw securityError('invalid-domain', `origin host ${host} is an IP address, not a valid domain`);
  const claimed = rpId ?? host;
  if (!isRegistrableSuffixOrEqual(claimed, host)) {
    throw securityError('rp-id-mismatch', `rp id ${JSON.stringify(claimed)} is not ${host} nor a registrable suffix of it`);
  }
  return { rpId: claimed, origin: url.origin };
}

/** For negative scenarios only: the RP ID and origin taken as given, with no browser checks. */
export function unsafeRpId({ origin, rpId }: RpIdRequest): ResolvedRpId {
  return { rpId: rpId ?? parseOrigin(origin).hostname, origin };
}

/**
 * Equal, or a dot-boundary suffix that is not a bare top-level label. Approximation: without the
 * Public Suffix List, multi-label public suffixes (co.uk, github.io) are not rejected.
 */
export function isRegistrableSuffixOrEqual(suffix: string, host: string): boolean {
  if (suffix === '') return false;
  if (suffix === host) return true;
  return host.endsWith(`.${suffix}`) && suffix.includes('.') && !suffix.startsWith('.') && !isIpAddress(host);
}

function parseOrigin(origin: string): URL {
  try {
    return new URL(origin);
  } catch {
    throw new TypeError(`origin: not a URL: ${JSON.stringify(origin)}`);
  }
}

function isLocalhost(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost');
}

/** WHATWG URL parsing leaves IPv4 hosts in dotted-decimal form and IPv6 hosts in brackets. */
function isIpAddress(host: string): boolean {
  return host.startsWith('[') || /^\d{1,3}(\.\d{1,3}){3}$/.test(host);
}

function securityError(reason: 'insecure-origin' | 'invalid-domain' | 'rp-id-mismatch', message: string): WebAuthnError {
  return new WebAuthnError({ name: 'SecurityError', reason, message });
}
