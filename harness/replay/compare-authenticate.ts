// The facts of a signing AUTHENTICATE answer (FIDO U2F Raw Message Formats v1.2 §5.4) that do
// not depend on which token made it: the user-presence bit, where the counter stands against
// the scenario's previous one, and whether the signature verifies with node:crypto under the
// public key this same token issued at REGISTER.
import { parseAuthenticateResponse } from '../u2f/responses.ts';
import { verifyAuthentication } from '../u2f/verify.ts';
import { Field, type Fields } from './fields.ts';
import { signatureVerdict } from './signature-verdict.ts';

export interface AuthenticateParameters {
  challenge: Uint8Array;
  application: Uint8Array;
}

export interface CredentialContext {
  /** The public key the token issued with this key handle; unknown if it was not registered in the scenario. */
  publicKey?: Uint8Array;
  /** The counter of the scenario's previous signature by this token. */
  lastCounter?: number;
}

export interface AuthenticateFacts {
  fields: Fields;
  counter?: number;
}

export const NO_KEY = 'no public key: the key handle was not registered in this scenario';

/** `data`: the answer without its status word. */
export function authenticateFacts(data: Uint8Array, { challenge, application }: AuthenticateParameters, { publicKey, lastCounter }: CredentialContext): AuthenticateFacts {
  let response;
  try {
    response = parseAuthenticateResponse(data);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return { fields: { [Field.MALFORMED]: error.message } };
  }
  const signature = publicKey ? signatureVerdict(() => verifyAuthentication(response, publicKey, challenge, application)) : NO_KEY;
  return {
    fields: {
      [Field.USER_PRESENCE]: response.userPresence ? 'set' : 'clear',
      [Field.COUNTER_ORDER]: counterOrder(lastCounter, response.counter),
      [Field.SIGNATURE]: signature,
    },
    counter: response.counter,
  };
}

/** A counter relative to the one before it: the spec asks for increasing values, never for particular ones. */
export function counterOrder(previous: number | undefined, current: number): string {
  if (previous === undefined) return 'first in scenario';
  if (current > previous) return 'increased';
  return current === previous ? 'repeated' : 'decreased';
}
