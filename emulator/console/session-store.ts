// Console sessions, in memory per mounted console: who is signed in (an IAM Caller backed by STS
// temporary credentials, as the AWS console's own sessions are), whether MFA was proven, the CSRF
// token of the session, and the one WebAuthn ceremony in flight. Ids are 256-bit random values;
// every change of privilege gets a new id, so an id seen before sign-in is worthless after it.
import { randomBytes } from 'node:crypto';
import type { Caller } from '../iam/caller.ts';

export type SessionState =
  /** Not signed in: only the sign-in pages (their forms still carry a CSRF token). */
  | { kind: 'anonymous' }
  /** The password was right; the user must still prove an MFA device. */
  | { kind: 'mfa-required'; userName: string }
  | { kind: 'signed-in'; caller: Caller; userName: string; mfaSerial: string | undefined };

export interface PendingCeremony {
  kind: 'registration' | 'authentication';
  /** base64url, as sent in the options and expected back in clientDataJSON. */
  challenge: string;
  /** For a registration: the name the user gave the key. */
  deviceName: string | undefined;
  expiresAt: number;
}

export interface ConsoleSession {
  readonly id: string;
  readonly csrfToken: string;
  readonly expiresAt: number;
  state: SessionState;
  ceremony: PendingCeremony | undefined;
}

export interface ConsoleSessionsOptions {
  /** Milliseconds since the epoch. */
  clock?: () => number;
  /** Random bytes for session ids and CSRF tokens. */
  random?: (size: number) => Uint8Array;
  /** The oldest sessions are dropped beyond this many, so anonymous visits cannot exhaust memory. */
  maxSessions?: number;
}

const ID_BYTES = 32;

export class ConsoleSessions {
  readonly #sessions = new Map<string, ConsoleSession>();
  readonly #clock: () => number;
  readonly #random: (size: number) => Uint8Array;
  readonly #maxSessions: number;

  constructor({ clock = Date.now, random = randomBytes, maxSessions = 10_000 }: ConsoleSessionsOptions = {}) {
    this.#clock = clock;
    this.#random = random;
    this.#maxSessions = maxSessions;
  }

  /** The live session with this id; expired ones are dropped on sight. */
  find(id: string | undefined): ConsoleSession | undefined {
    if (id === undefined) return undefined;
    const session = this.#sessions.get(id);
    if (session && session.expiresAt <= this.#clock()) {
      this.#sessions.delete(id);
      return undefined;
    }
    return session;
  }

  create(state: SessionState, ttlMs: number): ConsoleSession {
    this.#makeRoom();
    const session: ConsoleSession = {
      id: this.#token(),
      csrfToken: this.#token(),
      expiresAt: this.#clock() + ttlMs,
      state,
      ceremony: undefined,
    };
    this.#sessions.set(session.id, session);
    return session;
  }

  /** A new session (new id, new CSRF token) in place of `old`, for every change of privilege. */
  replace(old: ConsoleSession, state: SessionState, ttlMs: number): ConsoleSession {
    this.#sessions.delete(old.id);
    return this.create(state, ttlMs);
  }

  delete(id: string): void {
    this.#sessions.delete(id);
  }

  /** Starts a ceremony, replacing any earlier one: only the latest challenge can succeed. */
  beginCeremony(session: ConsoleSession, ceremony: Omit<PendingCeremony, 'expiresAt'>, ttlMs: number): void {
    session.ceremony = { ...ceremony, expiresAt: this.#clock() + ttlMs };
  }

  /** The pending ceremony of this kind, consumed: a challenge is good for one answer only. */
  takeCeremony(session: ConsoleSession, kind: PendingCeremony['kind']): PendingCeremony | undefined {
    const ceremony = session.ceremony;
    session.ceremony = undefined;
    if (!ceremony || ceremony.kind !== kind || ceremony.expiresAt <= this.#clock()) return undefined;
    return ceremony;
  }

  #token(): string {
    return Buffer.from(this.#random(ID_BYTES)).toString('base64url');
  }

  #makeRoom(): void {
    if (this.#sessions.size < this.#maxSessions) return;
    const now = this.#clock();
    for (const [id, session] of this.#sessions) if (session.expiresAt <= now) this.#sessions.delete(id);
    // Maps iterate in insertion order: the first entries are the oldest sessions.
    for (const id of this.#sessions.keys()) {
      if (this.#sessions.size < this.#maxSessions) break;
      this.#sessions.delete(id);
    }
  }
}
