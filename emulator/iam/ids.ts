// Identifiers in AWS's formats (IAM User Guide, "IAM identifiers": unique IDs start with a prefix
// naming the entity type, AIDA user, AGPA group, ANPA managed policy, AKIA access key, ASIA
// temporary access key). The random source is injected so tests can make them deterministic.
import { randomBytes } from 'node:crypto';

export type RandomSource = (size: number) => Uint8Array;

const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const SECRET_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

export interface IdSource {
  userId(): string;
  groupId(): string;
  policyId(): string;
  accessKeyId(): string;
  sessionAccessKeyId(): string;
  secretAccessKey(): string;
  sessionToken(): string;
  /** The suffix of a security key's serial, e.g. `7XNL7NFNLZ123456789EXAMPLE`. */
  securityKeySuffix(): string;
  /** 40 random bytes: a virtual MFA device's TOTP seed. */
  totpSeed(): Uint8Array;
}

export function createIdSource(random: RandomSource = randomBytes): IdSource {
  const pick = (alphabet: string, length: number): string => {
    // Both alphabets have a power-of-two size, so masking keeps the choice uniform.
    const mask = alphabet.length - 1;
    let out = '';
    for (const byte of random(length)) out += alphabet[byte & mask];
    return out;
  };
  return {
    userId: () => `AIDA${pick(UPPER_ALNUM, 17)}`,
    groupId: () => `AGPA${pick(UPPER_ALNUM, 17)}`,
    policyId: () => `ANPA${pick(UPPER_ALNUM, 17)}`,
    accessKeyId: () => `AKIA${pick(UPPER_ALNUM, 16)}`,
    sessionAccessKeyId: () => `ASIA${pick(UPPER_ALNUM, 16)}`,
    secretAccessKey: () => pick(SECRET_ALPHABET, 40),
    sessionToken: () => Buffer.from(random(160)).toString('base64'),
    securityKeySuffix: () => pick(UPPER_ALNUM, 26),
    totpSeed: () => random(40),
  };
}
