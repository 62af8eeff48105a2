// U2F client (FIDO U2F Raw Message Formats v1.2): REGISTER, AUTHENTICATE, VERSION over any
// channel that carries APDUs (CTAPHID MSG). Retries 6985 while the token waits for a touch.
import { StatusWord, U2fInstruction } from '../../emulator/token/index.ts';
import { encodeApdu, splitResponse, type CommandApdu, type ResponseApdu } from './apdu.ts';
import { ApduError, PresenceTimeoutError } from './errors.ts';
import { ensureLength } from '../util/bytes.ts';
import {
  parseAuthenticateResponse,
  parseRegisterResponse,
  type AuthenticateResponse,
  type RegisterResponse,
} from './responses.ts';

/** What the U2F layer needs from below: one APDU in, one APDU out (CtaphidClient.msg fits). */
export interface ApduChannel {
  msg(apdu: Uint8Array): Promise<Uint8Array>;
}

/** AUTHENTICATE control byte (P1), §5.1. */
export const AuthenticateMode = {
  'enforce': 0x03,
  'check-only': 0x07,
  'dont-enforce': 0x08,
} as const;
export type AuthenticateMode = keyof typeof AuthenticateMode;

export interface U2fClientOptions {
  channel: ApduChannel;
  /** How long REGISTER and AUTHENTICATE keep retrying 6985 before PresenceTimeoutError. */
  presenceTimeoutMs?: number;
  /** Pause between retries while waiting for a touch. */
  retryIntervalMs?: number;
  /**
   * Called once per operation when the token first asks for a touch (drives touch prompts); may
   * return a function that is called when the wait ends, touched or not.
   */
  onTouchNeeded?: (operation: string, timeoutMs: number) => (() => void) | void;
}

export interface RegisterRequest {
  /** Challenge parameter: 32 bytes (SHA-256 of the client data). */
  challenge: Uint8Array;
  /** Application parameter: 32 bytes (SHA-256 of the app id / rp id). */
  application: Uint8Array;
}

export interface AuthenticateRequest extends RegisterRequest {
  keyHandle: Uint8Array;
  mode?: Exclude<AuthenticateMode, 'check-only'>;
}

export class U2fClient {
  readonly #channel: ApduChannel;
  readonly #presenceTimeoutMs: number;
  readonly #retryIntervalMs: number;
  readonly #onTouchNeeded?: U2fClientOptions['onTouchNeeded'];

  constructor({ channel, presenceTimeoutMs = 30_000, retryIntervalMs = 50, onTouchNeeded }: U2fClientOptions) {
    this.#channel = channel;
    this.#presenceTimeoutMs = presenceTimeoutMs;
    this.#retryIntervalMs = retryIntervalMs;
    this.#onTouchNeeded = onTouchNeeded;
  }

  /** Send one APDU and return data and status word as they came, without interpretation. */
  async send(command: CommandApdu | Uint8Array): Promise<ResponseApdu> {
    const apdu = command instanceof Uint8Array ? command : encodeApdu(command);
    return splitResponse(await this.#channel.msg(apdu));
  }

  async version(): Promise<string> {
    const { data, sw } = await this.send({ ins: U2fInstruction.VERSION });
    if (sw !== StatusWord.NO_ERROR) throw new ApduError(sw, 'VERSION');
    return new TextDecoder().decode(data);
  }

  async register({ challenge, application }: RegisterRequest): Promise<RegisterResponse> {
    checkParameters(challenge, application);
    const data = new Uint8Array(64);
    data.set(challenge, 0);
    data.set(application, 32);
    const response = await this.#untilPresent('REGISTER', { ins: U2fInstruction.REGISTER, p1: AuthenticateMode.enforce, data });
    return parseRegisterResponse(response);
  }

  async authenticate({ challenge, application, keyHandle, mode = 'enforce' }: AuthenticateRequest): Promise<AuthenticateResponse> {
    const data = authenticateData(challenge, application, keyHandle);
    const command = { ins: U2fInstruction.AUTHENTICATE, p1: AuthenticateMode[mode], data };
    const response = await this.#untilPresent('AUTHENTICATE', command);
    return parseAuthenticateResponse(response);
  }

  /** Check-only AUTHENTICATE (P1 0x07): 'own' (6985) if the token made this handle for this app, 'foreign' (6A80) if not. */
  async checkKeyHandle({ application, keyHandle }: { application: Uint8Array; keyHandle: Uint8Array }): Promise<'own' | 'foreign'> {
    const data = authenticateData(new Uint8Array(32), application, keyHandle);
    const { sw } = await this.send({ ins: U2fInstruction.AUTHENTICATE, p1: AuthenticateMode['check-only'], data });
    if (sw === StatusWord.CONDITIONS_NOT_SATISFIED) return 'own';
    if (sw === StatusWord.WRONG_DATA) return 'foreign';
    throw new ApduError(sw, 'AUTHENTICATE check-only');
  }

  async #untilPresent(operation: string, command: CommandApdu): Promise<Uint8Array> {
    const deadline = Date.now() + this.#presenceTimeoutMs;
    let prompted = false;
    let promptDone: (() => void) | void = undefined;
    try {
      for (;;) {
        const { data, sw } = await this.send(command);
        if (sw === StatusWord.NO_ERROR) return data;
        if (sw !== StatusWord.CONDITIONS_NOT_SATISFIED) throw new ApduError(sw, operation);
        if (!prompted) {
          prompted = true;
          promptDone = this.#onTouchNeeded?.(operation, this.#presenceTimeoutMs);
        }
        if (Date.now() >= deadline) throw new PresenceTimeoutError(operation, this.#presenceTimeoutMs);
        await new Promise((resolve) => setTimeout(resolve, this.#retryIntervalMs));
      }
    } finally {
      promptDone?.();
    }
  }
}

function checkParameters(challenge: Uint8Array, application: Uint8Array): void {
  ensureLength(challenge, 32, 'challenge parameter');
  ensureLength(application, 32, 'application parameter');
}

function authenticateData(challenge: Uint8Array, application: Uint8Array, keyHandle: Uint8Array): Uint8Array {
  checkParameters(challenge, application);
  if (keyHandle.length > 255) throw new RangeError(`key handle: at most 255 bytes, got ${keyHandle.length}`);
  const data = new Uint8Array(65 + keyHandle.length);
  data.set(challenge, 0);
  data.set(application, 32);
  data[64] = keyHandle.length;
  data.set(keyHandle, 65);
  return data;
}
