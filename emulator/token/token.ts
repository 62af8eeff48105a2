// A virtual FIDO U2F token: FIDO U2F Raw Message Formats v1.2 (REGISTER, AUTHENTICATE, VERSION)
// over command APDUs. This file wires the parts together; each part lives in its own module.
//
//   APDU -> parseApdu -> REGISTER:     presence -> derive key -> wrap handle -> attestation signature
//                        AUTHENTICATE: unwrap handle -> presence -> counter (persisted) -> signature
//                        VERSION:      "U2F_V2"
//   any failure -> its status word (process() never throws)
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { encodeResponse, parseApdu } from './apdu.ts';
import { assertLength, assertMinLength } from './assert-bytes.ts';
import { removeStaleTempFiles } from './atomic-file.ts';
import { loadAttestation, type Attestation } from './attestation.ts';
import { FileCounterStore, MemoryCounterStore, type CounterStore } from './counter-store.ts';
import { loadDeviceSecret } from './device-secret.ts';
import { AuthenticateControl, U2fInstruction, instructionName, isAuthenticateControl } from './instructions.ts';
import { KeyHandleCodec } from './key-handle.ts';
import {
  authenticateSignedData,
  encodeAuthenticateResponse,
  encodeRegisterResponse,
  parseAuthenticateRequest,
  parseRegisterRequest,
  registerSignedData,
} from './messages.ts';
import { MonotonicCounter } from './monotonic-counter.ts';
import { PresenceGate, type PresencePolicy } from './presence.ts';
import { lockStateDir } from './state-lock.ts';
import type { DeviceProfile } from './profile.ts';
import { createSigner, type Signer, type SignerKind } from './signer.ts';
import { StatusWord, statusWordName } from './status-words.ts';
import { TokenError, statusWordFor } from './token-error.ts';

const VERSION = utf8ToBytes('U2F_V2');
const EMPTY = new Uint8Array(0);
const COUNTER_FILE = 'counter.json';

/** One APDU handled, for recorders and logs. Treat every field as read-only. */
export interface ApduEvent {
  request: Uint8Array;
  /** Response data || SW1 SW2, as returned by process(). */
  response: Uint8Array;
  /** `REGISTER`, `AUTHENTICATE`, `VERSION`, or `INS_XX` for an unknown byte (`NONE` if too short). */
  instruction: string;
  status: number;
  /** statusWordName(status), e.g. `CONDITIONS_NOT_SATISFIED`. */
  statusName: string;
  /** Wall time spent in the token, queueing excluded. */
  durationMs: number;
  /** Why a request failed, in words; absent on success. */
  detail?: string;
}

export interface U2fTokenOptions {
  profile: DeviceProfile;
  /** Directory for persistent state (device secret, counter); undefined = in memory. */
  stateDir?: string;
  /** Overrides profile.signer: 'noble' (RFC 6979, reproducible) or 'node' (randomized, fast). */
  signer?: SignerKind;
  /** Clock in milliseconds, for presence timing. */
  now?: () => number;
  /** Read-only hook called after every APDU; an exception in it is ignored. */
  onApdu?: (event: ApduEvent) => void;
  /** Called when the host asks the device to identify itself (CTAPHID WINK). */
  onWink?: () => void;
  /** 32-byte secret of an in-memory device (default: random). Not allowed with stateDir. */
  deviceSecret?: Uint8Array;
  /** Where the counter reservation lives; default: stateDir/counter.json, else memory. */
  counterStore?: CounterStore;
}

/** What persists between runs: the device secret (as its key-handle codec) and the counter. */
interface DeviceState {
  keys: KeyHandleCodec;
  counter: MonotonicCounter;
  /** Releases the state directory's lock (a no-op in memory). */
  unlock: () => Promise<void>;
}

interface TokenParts extends DeviceState {
  profile: DeviceProfile;
  attestation: Attestation;
  signer: Signer;
  presence: PresenceGate;
  onApdu?: (event: ApduEvent) => void;
  onWink?: () => void;
}

async function openMemoryState(profile: DeviceProfile, secret: Uint8Array = randomBytes(32), store: CounterStore = new MemoryCounterStore()): Promise<DeviceState> {
  return {
    keys: new KeyHandleCodec(secret),
    counter: await MonotonicCounter.open({ store, initial: profile.counterStart }),
    unlock: async () => {},
  };
}

async function openDiskState(profile: DeviceProfile, stateDir: string, store?: CounterStore): Promise<DeviceState> {
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  const unlock = await lockStateDir(stateDir);
  try {
    await removeStaleTempFiles(stateDir); // ours alone now that we hold the lock
    return {
      keys: new KeyHandleCodec(await loadDeviceSecret(stateDir)),
      counter: await MonotonicCounter.open({ store: store ?? new FileCounterStore(join(stateDir, COUNTER_FILE)), initial: profile.counterStart }),
      unlock,
    };
  } catch (error) {
    await unlock();
    throw error;
  }
}

export class U2fToken {
  readonly profile: DeviceProfile;
  readonly #parts: TokenParts;
  /** Requests run one at a time, in arrival order, as on a real token. */
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;

  private constructor(parts: TokenParts) {
    this.profile = parts.profile;
    this.#parts = parts;
  }

  /** Load attestation and state (creating state on first use) and return a ready token. */
  static async open({
    profile,
    stateDir,
    signer = profile.signer,
    now = Date.now,
    onApdu,
    onWink,
    deviceSecret,
    counterStore,
  }: U2fTokenOptions): Promise<U2fToken> {
    if (stateDir !== undefined && deviceSecret !== undefined) {
      throw new TypeError('deviceSecret is for in-memory tokens; a stateDir keeps its own secret');
    }
    const presence = new PresenceGate({
      policy: profile.presence,
      now,
      touchTimeoutMs: profile.touchTimeoutMs,
    });
    const attestation = await loadAttestation(profile.attestation);
    const state = stateDir === undefined
      ? await openMemoryState(profile, deviceSecret, counterStore)
      : await openDiskState(profile, stateDir, counterStore);
    return new U2fToken({ profile, attestation, ...state, signer: createSigner(signer), presence, onApdu, onWink });
  }

  /** Handle one command APDU; resolves to response data || SW1 SW2, never rejects. */
  process(apdu: Uint8Array): Promise<Uint8Array> {
    // Copy now: the caller may reuse its buffer while this request waits in the queue.
    const request = apdu instanceof Uint8Array ? apdu.slice() : EMPTY;
    // Requests that arrive before close() are still served; later ones get 6F00.
    const accepted = !this.#closed;
    const response = this.#queue.then(() => this.#handle(request, accepted));
    this.#queue = response;
    return response;
  }

  /** One user-presence touch (manual mode): serves one operation, expires after profile.touchTimeoutMs. */
  touch(): void {
    this.#parts.presence.touch();
  }

  /** CTAPHID WINK: a real key blinks; we tell the onWink hook. */
  wink(): void {
    this.#parts.onWink?.();
  }

  get presence(): PresencePolicy {
    return this.#parts.presence.policy;
  }

  set presence(policy: PresencePolicy) {
    this.#parts.presence.policy = policy;
  }

  /** DER attestation certificate sent in every registration. */
  get attestationCertificate(): Uint8Array {
    return this.#parts.attestation.certificate;
  }

  /** Last counter value returned (after open: the floor the next value will exceed). */
  get counter(): number {
    return this.#parts.counter.value;
  }

  /** Finish queued requests, release the unused counter reservation and the state lock. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#queue;
    try {
      await this.#parts.counter.release();
    } finally {
      await this.#parts.unlock();
    }
  }

  async #handle(request: Uint8Array, accepted: boolean): Promise<Uint8Array> {
    const started = performance.now();
    let response: Uint8Array;
    let detail: string | undefined;
    try {
      if (!accepted) throw new TokenError('CLOSED', 'token is closed');
      response = encodeResponse(await this.#dispatch(request), StatusWord.NO_ERROR);
    } catch (error) {
      response = encodeResponse(EMPTY, statusWordFor(error));
      detail = error instanceof Error ? error.message : String(error);
    }
    const { onApdu } = this.#parts;
    if (onApdu) {
      const status = (response[response.length - 2]! << 8) | response[response.length - 1]!;
      try {
        onApdu({
          request,
          response: response.slice(),
          instruction: request.length >= 2 ? instructionName(request[1]!) : 'NONE',
          status,
          statusName: statusWordName(status),
          durationMs: performance.now() - started,
          ...(detail === undefined ? {} : { detail }),
        });
      } catch {
        // A recorder's bug must not change what the token answers.
      }
    }
    return response;
  }

  async #dispatch(apdu: Uint8Array): Promise<Uint8Array> {
    assertMinLength(apdu, 4, 'APDU header');
    if (apdu[0] !== 0) throw new TokenError('CLA_NOT_SUPPORTED', `CLA 0x${apdu[0]!.toString(16)} is not 0`);
    const ins = apdu[1]!;
    if (ins !== U2fInstruction.REGISTER && ins !== U2fInstruction.AUTHENTICATE && ins !== U2fInstruction.VERSION) {
      throw new TokenError('INS_NOT_SUPPORTED', `${instructionName(ins)} is not a U2F instruction`);
    }
    const { p1, data } = parseApdu(apdu);
    switch (ins) {
      case U2fInstruction.REGISTER:
        return this.#register(data);
      case U2fInstruction.AUTHENTICATE:
        return this.#authenticate(p1, data);
      case U2fInstruction.VERSION:
        assertLength(data, 0, 'VERSION request data');
        return VERSION;
    }
  }

  #register(data: Uint8Array): Uint8Array {
    const { keys, signer, presence, attestation } = this.#parts;
    const request = parseRegisterRequest(data);
    if (!presence.consume()) throw new TokenError('CONDITIONS_NOT_SATISFIED', 'REGISTER waits for user presence');
    const privateKey = keys.deriveCredentialKey(request.application, request.challenge);
    const publicKey = signer.publicKey(privateKey);
    const keyHandle = keys.wrap(privateKey, request.application);
    const signature = signer.sign(registerSignedData(request, keyHandle, publicKey), attestation.privateKey);
    return encodeRegisterResponse({ publicKey, keyHandle, attestationCertificate: attestation.certificate, signature });
  }

  async #authenticate(p1: number, data: Uint8Array): Promise<Uint8Array> {
    const { keys, signer, presence, counter } = this.#parts;
    const request = parseAuthenticateRequest(data);
    if (!isAuthenticateControl(p1)) throw new TokenError('WRONG_DATA', `AUTHENTICATE P1 0x${p1.toString(16)} is not 03, 07 or 08`);
    const privateKey = keys.unwrap(request.keyHandle, request.application);
    if (!privateKey) throw new TokenError('WRONG_DATA', 'key handle was not made by this device for this application');
    // Check-only answers "presence required" to say "this handle is mine" (spec: a success).
    if (p1 === AuthenticateControl.CHECK_ONLY) throw new TokenError('CONDITIONS_NOT_SATISFIED', 'check-only: key handle is valid');
    let userPresence: 0 | 1 = 0;
    if (p1 === AuthenticateControl.ENFORCE_USER_PRESENCE_AND_SIGN) {
      if (!presence.consume()) throw new TokenError('CONDITIONS_NOT_SATISFIED', 'AUTHENTICATE waits for user presence');
      userPresence = 1;
    }
    const value = await counter.next(); // durable before the signature exists
    const signature = signer.sign(authenticateSignedData(request, userPresence, value), privateKey);
    return encodeAuthenticateResponse({ userPresence, counter: value, signature });
  }
}
