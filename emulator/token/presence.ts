// FIDO U2F Raw Message Formats v1.2, "Registration Request Message" and "Authentication Request
// Message": a token answers "test-of-user-presence-required" (6985) until the user touches it.
// Here the touch is simulated by a policy chosen in the profile or at run time.

export type PresencePolicy =
  | { mode: 'auto' }
  | { mode: 'deny' }
  | { mode: 'delay'; ms: number }
  | { mode: 'manual' };

/** Parse `auto`, `deny`, `manual` or `delay:MS` (MS a non-negative integer of milliseconds). */
export function parsePresencePolicy(text: string): PresencePolicy {
  if (text === 'auto' || text === 'deny' || text === 'manual') return { mode: text };
  const delay = /^delay:(\d{1,9})$/.exec(text);
  if (delay) return { mode: 'delay', ms: Number(delay[1]) };
  throw new TypeError(`invalid presence policy ${JSON.stringify(text)}: expected auto, deny, manual or delay:MS (milliseconds)`);
}

export function formatPresencePolicy(policy: PresencePolicy): string {
  return policy.mode === 'delay' ? `delay:${policy.ms}` : policy.mode;
}

export interface PresenceGateOptions {
  policy: PresencePolicy;
  /** Clock in milliseconds. */
  now: () => number;
  /** How long a manual touch stays valid. */
  touchTimeoutMs: number;
}

/**
 * Decides, per request that needs user presence, whether the user has "touched" the token.
 * A granted presence serves exactly one operation, as a button press does on hardware.
 */
export class PresenceGate {
  #policy: PresencePolicy;
  readonly #now: () => number;
  readonly #touchTimeoutMs: number;
  /** delay: when the first waiting request arrived. manual: when the pending touch happened. */
  #since: number | undefined;

  constructor({ policy, now, touchTimeoutMs }: PresenceGateOptions) {
    this.#policy = policy;
    this.#now = now;
    this.#touchTimeoutMs = touchTimeoutMs;
  }

  get policy(): PresencePolicy {
    return this.#policy;
  }

  /** A new policy starts clean: no running delay, no pending touch. */
  set policy(policy: PresencePolicy) {
    this.#policy = policy;
    this.#since = undefined;
  }

  /** Record a touch; it matters in manual mode only. */
  touch(): void {
    if (this.#policy.mode === 'manual') this.#since = this.#now();
  }

  /** True if this request may proceed with presence; consumes the grant. */
  consume(): boolean {
    const now = this.#now();
    switch (this.#policy.mode) {
      case 'auto':
        return true;
      case 'deny':
        return false;
      case 'delay':
        if (this.#since === undefined) this.#since = now;
        return this.#take(now - this.#since >= this.#policy.ms);
      case 'manual':
        if (this.#since !== undefined && now - this.#since > this.#touchTimeoutMs) this.#since = undefined;
        return this.#take(this.#since !== undefined);
    }
  }

  #take(granted: boolean): boolean {
    if (granted) this.#since = undefined;
    return granted;
  }
}
