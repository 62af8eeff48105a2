// Secrets never reach a transcript: passwords, secret keys, session tokens, TOTP seeds and codes
// are replaced before an HTTP exchange is recorded.

const SECRET_PARAMS = /^(Password|NewPassword|OldPassword|AuthenticationCode1|AuthenticationCode2|TokenCode|SecretAccessKey)$/;
const SECRET_FIELDS = new Set(['SecretAccessKey', 'SessionToken', 'Base32StringSeed', 'QRCodePNG', 'Password']);
export const REDACTED = '[redacted]';

/** A form-encoded Query API body with secret parameters replaced. */
export function redactBody(body: string): string {
  const params = new URLSearchParams(body);
  for (const key of [...params.keys()]) if (SECRET_PARAMS.test(key)) params.set(key, REDACTED);
  return params.toString();
}

/** A parsed SDK output with secret fields replaced at any depth; $metadata dropped. */
export function redactOutput(value: unknown): unknown {
  if (value instanceof Uint8Array) return REDACTED;
  if (Array.isArray(value)) return value.map(redactOutput);
  if (value instanceof Date) return value.toISOString();
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== '$metadata')
      .map(([key, field]) => [key, SECRET_FIELDS.has(key) ? REDACTED : redactOutput(field)]),
  );
}
