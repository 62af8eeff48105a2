// The per-device secret that every key handle is sealed under (see key-handle.ts). Created once
// per state directory from the OS random source; a different directory is a different device.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic-file.ts';
import { TokenError } from './token-error.ts';

export const DEVICE_SECRET_FILE = 'device-secret.json';
const SECRET_BYTES = 32;

/** Read `stateDir`/device-secret.json (the directory must exist), creating a fresh secret on first use. */
export async function loadDeviceSecret(stateDir: string): Promise<Uint8Array> {
  const path = join(stateDir, DEVICE_SECRET_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    const secret = new Uint8Array(randomBytes(SECRET_BYTES));
    await writeFileAtomic(path, `${JSON.stringify({ secret: Buffer.from(secret).toString('hex') })}\n`);
    return secret;
  }
  let hex: unknown;
  try {
    hex = (JSON.parse(text) as { secret?: unknown }).secret;
  } catch (error) {
    throw new TokenError('INVALID_STATE', `${path}: not JSON`, { cause: error });
  }
  if (typeof hex !== 'string' || !/^[0-9a-f]{64}$/i.test(hex)) {
    throw new TokenError('INVALID_STATE', `${path}: "secret" must be ${SECRET_BYTES} bytes as 64 hex digits`);
  }
  return new Uint8Array(Buffer.from(hex, 'hex'));
}
