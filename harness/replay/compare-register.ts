// The facts of a REGISTER answer that two honest tokens share (FIDO U2F Raw Message Formats
// v1.2 §4.3): reserved byte, key format and sizes, attestation subject, and whether the
// attestation signature verifies with node:crypto over the challenge and application sent.
import { X509Certificate } from 'node:crypto';
import { parseRegisterResponse } from '../u2f/responses.ts';
import { p256PublicKey, verifyRegistration } from '../u2f/verify.ts';
import { Field, type Fields } from './fields.ts';
import { signatureVerdict } from './signature-verdict.ts';

export interface RegisterParameters {
  challenge: Uint8Array;
  application: Uint8Array;
}

export interface Credential {
  keyHandle: Uint8Array;
  /** Uncompressed P-256 point. */
  publicKey: Uint8Array;
}

export interface RegisterFacts {
  fields: Fields;
  /** The credential the token issued, when the answer could be read. */
  credential?: Credential;
}

/** `data`: the answer without its status word. */
export function registerFacts(data: Uint8Array, { challenge, application }: RegisterParameters): RegisterFacts {
  const fields: Fields = { [Field.RESERVED_BYTE]: data.length > 0 ? `0x${data[0].toString(16).padStart(2, '0')}` : 'missing' };
  let response;
  try {
    response = parseRegisterResponse(data);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return { fields: { ...fields, [Field.MALFORMED]: error.message } };
  }
  fields[Field.USER_PUBLIC_KEY] = publicKeyFormat(response.userPublicKey);
  fields[Field.KEY_HANDLE_LENGTH] = `${response.keyHandle.length} bytes`;
  fields[Field.ATTESTATION_SUBJECT] = certificateSubject(response.attestationCertificate);
  fields[Field.ATTESTATION_SIGNATURE] = signatureVerdict(() => verifyRegistration(response, challenge, application));
  return { fields, credential: { keyHandle: response.keyHandle, publicKey: response.userPublicKey } };
}

function publicKeyFormat(point: Uint8Array): string {
  try {
    p256PublicKey(point);
    return `uncompressed P-256 point, ${point.length} bytes`;
  } catch (error) {
    return `not a P-256 point: ${(error as Error).message}`;
  }
}

function certificateSubject(der: Uint8Array): string {
  try {
    return new X509Certificate(der).subject.split('\n').join(', ');
  } catch (error) {
    return `unreadable certificate of ${der.length} bytes: ${(error as Error).message}`;
  }
}
