// The answer a token following FIDO U2F Raw Message Formats v1.2 owes to any APDU, worked out from
// the request bytes alone (ISO 7816-4 framing, then the U2F message rules), and the check of an
// actual answer against it: the status word, the response layout, signatures verified with
// node:crypto, and the counter moving by one on a successful AUTHENTICATE and never otherwise.
// Written from the spec, apart from emulator/token, so that each checks the other.
import { AuthenticateControl, StatusWord, U2fInstruction, instructionName, statusWordName } from '../../emulator/token/index.ts';
import { parseAuthenticateResponse, parseRegisterResponse, splitResponse, verifyAuthentication, verifyRegistration } from '../../harness/u2f/index.ts';
import type { RegisteredKey } from './u2f-keys.ts';

export type U2fExpectation =
  | { readonly status: number; readonly answer: 'error' }
  | { readonly status: typeof StatusWord.NO_ERROR; readonly answer: 'version' }
  | { readonly status: typeof StatusWord.NO_ERROR; readonly answer: 'register'; readonly challenge: Uint8Array; readonly application: Uint8Array }
  | {
      readonly status: typeof StatusWord.NO_ERROR;
      readonly answer: 'authenticate';
      readonly key: RegisteredKey;
      readonly userPresence: boolean;
      readonly challenge: Uint8Array;
      readonly application: Uint8Array;
    };

export interface U2fTokenModel {
  /** The credentials the token made (any other handle is foreign). */
  readonly keys: readonly RegisteredKey[];
  /** Whether the user touches the token for this request. */
  readonly presence: boolean;
}

const error = (status: number): U2fExpectation => ({ status, answer: 'error' });

/** What the token must answer to `apdu`. */
export function expectedU2fAnswer(apdu: Uint8Array, { keys, presence }: U2fTokenModel): U2fExpectation {
  if (apdu.length < 4) return error(StatusWord.WRONG_LENGTH);
  if (apdu[0] !== 0) return error(StatusWord.CLA_NOT_SUPPORTED);
  const data = commandData(apdu);
  switch (apdu[1]) {
    case U2fInstruction.VERSION:
      if (data?.length !== 0) return error(StatusWord.WRONG_LENGTH);
      return { status: StatusWord.NO_ERROR, answer: 'version' };
    case U2fInstruction.REGISTER: {
      if (data?.length !== 64) return error(StatusWord.WRONG_LENGTH);
      if (!presence) return error(StatusWord.CONDITIONS_NOT_SATISFIED);
      return { status: StatusWord.NO_ERROR, answer: 'register', challenge: data.subarray(0, 32), application: data.subarray(32) };
    }
    case U2fInstruction.AUTHENTICATE: {
      if (!data || data.length < 65 || data.length !== 65 + data[64]!) return error(StatusWord.WRONG_LENGTH);
      const p1 = apdu[2];
      const { ENFORCE_USER_PRESENCE_AND_SIGN, CHECK_ONLY, DONT_ENFORCE_USER_PRESENCE_AND_SIGN } = AuthenticateControl;
      if (p1 !== ENFORCE_USER_PRESENCE_AND_SIGN && p1 !== CHECK_ONLY && p1 !== DONT_ENFORCE_USER_PRESENCE_AND_SIGN) return error(StatusWord.WRONG_DATA);
      const challenge = data.subarray(0, 32);
      const application = data.subarray(32, 64);
      const handle = data.subarray(65);
      const key = keys.find((k) => equal(k.keyHandle, handle) && equal(k.application, application));
      if (!key) return error(StatusWord.WRONG_DATA);
      // Check-only: "test-of-user-presence-required" means "this handle is mine".
      if (p1 === CHECK_ONLY) return error(StatusWord.CONDITIONS_NOT_SATISFIED);
      const userPresence = p1 === ENFORCE_USER_PRESENCE_AND_SIGN;
      if (userPresence && !presence) return error(StatusWord.CONDITIONS_NOT_SATISFIED);
      return { status: StatusWord.NO_ERROR, answer: 'authenticate', key, userPresence, challenge, application };
    }
    default:
      return error(StatusWord.INS_NOT_SUPPORTED);
  }
}

/**
 * Request data under ISO 7816-4 framing, or undefined when the lengths do not add up. Short form:
 * `Lc data [Le]` or a lone Le; extended: `00 Lc(2) data [Le(2)]` or `00 Le(2)`. An extended Lc of 0
 * followed by a 2-byte Le (python-fido2's data-less VERSION) counts as no data.
 */
function commandData(apdu: Uint8Array): Uint8Array | undefined {
  const body = apdu.length - 4;
  if (body <= 1) return apdu.subarray(4, 4);
  const first = apdu[4]!;
  if (first !== 0) return body === 1 + first || body === 2 + first ? apdu.subarray(5, 5 + first) : undefined;
  if (body === 3) return apdu.subarray(4, 4);
  if (body < 3) return undefined;
  const lc = (apdu[5]! << 8) | apdu[6]!;
  return body - 3 === lc || body - 3 === lc + 2 ? apdu.subarray(7, 7 + lc) : undefined;
}

export interface U2fExchange extends U2fTokenModel {
  readonly request: Uint8Array;
  readonly response: Uint8Array;
  /** The token's counter before this request. */
  readonly counter: number;
}

/**
 * Throws unless `response` is the answer `request` was owed. Returns the outcome label
 * (`AUTHENTICATE NO_ERROR`, `REGISTER WRONG_LENGTH`, ...) and the counter the token must now show.
 */
export function checkU2fAnswer(exchange: U2fExchange): { label: string; counter: number } {
  const { request, response, counter } = exchange;
  const expected = expectedU2fAnswer(request, exchange);
  if (response.length < 2) throw new Error(`U2F response of ${response.length} bytes has no status word`);
  const { data, sw } = splitResponse(response);
  const label = `${instructionLabel(request)} ${statusWordName(sw)}`;
  const mismatch = (what: string) => new Error(`${label} to ${hex(request)}: ${what}`);
  if (sw !== expected.status) throw mismatch(`expected status ${statusWordName(expected.status)}`);
  switch (expected.answer) {
    case 'error':
      if (data.length !== 0) throw mismatch(`${data.length} data bytes with an error status`);
      return { label, counter };
    case 'version':
      if (new TextDecoder().decode(data) !== 'U2F_V2') throw mismatch(`version ${JSON.stringify(new TextDecoder().decode(data))}`);
      return { label, counter };
    case 'register': {
      const registration = parseRegisterResponse(data);
      if (!verifyRegistration(registration, expected.challenge, expected.application)) throw mismatch('registration signature does not verify');
      return { label, counter };
    }
    case 'authenticate': {
      const assertion = parseAuthenticateResponse(data);
      if (assertion.flags !== (expected.userPresence ? 1 : 0)) throw mismatch(`user presence byte ${assertion.flags}`);
      if (assertion.counter !== counter + 1) throw mismatch(`counter ${assertion.counter} after ${counter}`);
      if (!verifyAuthentication(assertion, expected.key.publicKey, expected.challenge, expected.application)) {
        throw mismatch('authentication signature does not verify');
      }
      return { label, counter: assertion.counter };
    }
  }
}

/** The instruction's name, or OTHER for the 250 bytes U2F does not define (a tally per byte says little). */
function instructionLabel(request: Uint8Array): string {
  const ins = request[1];
  const known = request.length >= 4 && (ins === U2fInstruction.REGISTER || ins === U2fInstruction.AUTHENTICATE || ins === U2fInstruction.VERSION);
  return known ? instructionName(ins) : 'OTHER';
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
