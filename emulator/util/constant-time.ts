// Comparing secrets (MACs, signatures, CSRF and session tokens, password hashes, one-time codes)
// without telling through timing where the first difference is, nor how long the secret is, and
// without throwing on inputs of different lengths (node's timingSafeEqual does): both sides are
// hashed to 32 bytes first, then compared with timingSafeEqual. Strings count as their UTF-8 bytes.
import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (value: string | Uint8Array): Buffer => createHash('sha256').update(value).digest();

/** True when `a` and `b` hold the same bytes; its time does not depend on where they differ. */
export function constantTimeEqual(a: string | Uint8Array, b: string | Uint8Array): boolean {
  return timingSafeEqual(digest(a), digest(b));
}
