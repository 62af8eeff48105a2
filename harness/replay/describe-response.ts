// One side's answer to one command, as comparable facts: the status word always; for a 9000
// answer the fields its instruction defines (VERSION string, REGISTER and AUTHENTICATE facts)
// or, for any other command, the length of its data. Each side keeps its own memory of the
// scenario (its credentials, its last counter), since its keys and counters are its own.
import { AuthenticateControl, StatusWord } from '../../emulator/token/index.ts';
import { splitResponse } from '../u2f/apdu.ts';
import { formatStatusWord } from '../u2f/errors.ts';
import { toHex } from '../util/bytes.ts';
import { authenticateFacts } from './compare-authenticate.ts';
import { registerFacts, type Credential } from './compare-register.ts';
import { Field, type Fields } from './fields.ts';
import type { U2fRequest } from './u2f-request.ts';

/** A response APDU, or why there is none (nothing recorded, a CTAPHID error or timeout on the target). */
export type Answer = { kind: 'response'; bytes: Uint8Array } | { kind: 'none'; reason: string };

export interface SideMemory {
  /** Public keys by key handle (hex), from this side's REGISTER answers in the scenario. */
  credentials: Map<string, Uint8Array>;
  /** This side's counter at its previous signature in the scenario. */
  lastCounter?: number;
}

export interface DescribedResponse {
  fields: Fields;
  /** A credential the answer issued (REGISTER). */
  credential?: Credential;
  /** The signature counter the answer carried (AUTHENTICATE). */
  counter?: number;
}

export function emptyMemory(): SideMemory {
  return { credentials: new Map() };
}

/** Facts of `answer` to `request`, read against what this side answered earlier in the scenario. */
export function describeResponse(request: U2fRequest, answer: Answer, memory: Readonly<SideMemory>): DescribedResponse {
  if (answer.kind === 'none') return { fields: { [Field.STATUS_WORD]: `no answer: ${answer.reason}` } };
  if (answer.bytes.length < 2) return { fields: { [Field.STATUS_WORD]: `no status word: ${answer.bytes.length}-byte response` } };
  const { data, sw } = splitResponse(answer.bytes);
  const status = { [Field.STATUS_WORD]: formatStatusWord(sw) };
  if (sw !== StatusWord.NO_ERROR) return { fields: status };
  if (request.kind === 'version') return { fields: { ...status, [Field.VERSION]: JSON.stringify(new TextDecoder().decode(data)) } };
  if (request.kind === 'register') {
    const { fields, credential } = registerFacts(data, request);
    return { fields: { ...status, ...fields }, credential };
  }
  if (request.kind === 'authenticate' && request.control !== AuthenticateControl.CHECK_ONLY) {
    const publicKey = memory.credentials.get(toHex(request.keyHandle));
    const { fields, counter } = authenticateFacts(data, request, { publicKey, lastCounter: memory.lastCounter });
    return { fields: { ...status, ...fields }, counter };
  }
  return { fields: { ...status, [Field.RESPONSE_LENGTH]: `${data.length} bytes` } };
}

/** Keep what later answers of the scenario are read against. */
export function remember(memory: SideMemory, { credential, counter }: DescribedResponse): void {
  if (credential) memory.credentials.set(toHex(credential.keyHandle), credential.publicKey);
  if (counter !== undefined) memory.lastCounter = counter;
}
