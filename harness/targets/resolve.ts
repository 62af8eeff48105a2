// `--token` parsing: one string names a target; unknown or malformed names fail with the list
// of forms that are accepted.
import { openEmulatorTarget, type EmulatorTargetOptions } from './emulator-target.ts';
import type { TokenTarget } from './token-target.ts';

export const TOKEN_TARGET_FORMS = ['emulator', 'udp://HOST:PORT', 'usbip://HOST:PORT/BUSID', 'hid', 'hid:PATH'] as const;

export class TargetError extends Error {
  override readonly name = 'TargetError';
}

export async function openTokenTarget(spec: string, emulator: EmulatorTargetOptions = {}): Promise<TokenTarget> {
  if (spec === 'emulator') return openEmulatorTarget(emulator);
  throw new TargetError(`unknown token target '${spec}': expected one of ${TOKEN_TARGET_FORMS.join(', ')}`);
}
