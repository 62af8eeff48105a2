// Console passwords: stored as scrypt hashes (RFC 7914), checked against the default IAM password
// policy (IAM User Guide, "Set an account password policy": without a custom policy a password
// has at least 8 characters and three of uppercase, lowercase, digits and symbols).
import { randomBytes, scryptSync } from 'node:crypto';
import { constantTimeEqual } from '../util/constant-time.ts';
import { IamError } from './errors.ts';

const SCRYPT = { N: 1 << 14, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;

export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  const key = scryptSync(password, salt, KEY_LENGTH, SCRYPT);
  return `scrypt$${salt.toString('base64')}$${key.toString('base64')}`;
}

export function verifyPassword(password: string, stored: string): boolean {
  const [scheme, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || salt === undefined || key === undefined) return false;
  // Always KEY_LENGTH bytes: a stored key of another length (an empty one too) matches nothing.
  return constantTimeEqual(scryptSync(password, Buffer.from(salt, 'base64'), KEY_LENGTH, SCRYPT), Buffer.from(key, 'base64'));
}

export function checkPasswordPolicy(password: string): void {
  const classes = [/[A-Z]/, /[a-z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  if (password.length < 8 || classes < 3) {
    throw new IamError(
      'PasswordPolicyViolation',
      'Password does not conform to the account password policy: it needs at least 8 characters and three of uppercase letters, lowercase letters, numbers and symbols.',
    );
  }
}
