// The session cookie (RFC 6265bis): read from the Cookie header, written with the attributes that
// keep it out of scripts (HttpOnly) and cross-site requests (SameSite=Strict), scoped to /console.

export const SESSION_COOKIE = 'keyloop-console';

/** The value of cookie `name` in a Cookie header, or undefined. Malformed pairs are skipped. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq < 0) continue;
    if (pair.slice(0, eq).trim() === name) return pair.slice(eq + 1).trim();
  }
  return undefined;
}

export interface SessionCookieOptions {
  value: string;
  /** Seconds until the browser drops it; 0 deletes it now. */
  maxAgeSeconds: number;
  /** Only over https: set when the console's origin is https. */
  secure: boolean;
}

export function sessionCookie({ value, maxAgeSeconds, secure }: SessionCookieOptions): string {
  const parts = [`${SESSION_COOKIE}=${value}`, 'Path=/console', `Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}`, 'HttpOnly', 'SameSite=Strict'];
  if (secure) parts.push('Secure');
  return parts.join('; ');
}
