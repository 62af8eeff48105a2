// `--token` parsing: one string names a target; unknown or malformed names fail with the list
// of forms that are accepted.
import { openEmulatorTarget, type EmulatorTargetOptions } from './emulator-target.ts';
import { openUdpTarget, openUsbipTarget } from './remote-target.ts';
import type { TokenTarget } from './token-target.ts';

export const TOKEN_TARGET_FORMS = ['emulator', 'udp://HOST:PORT', 'usbip://HOST:PORT/BUSID', 'hid', 'hid:PATH'] as const;

export class TargetError extends Error {
  override readonly name = 'TargetError';
}

export type TokenTargetSpec =
  | { kind: 'emulator' }
  | { kind: 'udp'; host: string; port: number }
  | { kind: 'usbip'; host: string; port: number; busId: string }
  | { kind: 'hid'; path?: string };

export function parseTokenTarget(spec: string): TokenTargetSpec {
  if (spec === 'emulator') return { kind: 'emulator' };
  if (spec === 'hid') return { kind: 'hid' };
  if (spec.startsWith('hid:')) return { kind: 'hid', path: spec.slice(4) };
  const bad = (why: string) => new TargetError(`token target '${spec}': ${why}; expected one of ${TOKEN_TARGET_FORMS.join(', ')}`);
  let url: URL;
  try {
    url = new URL(spec);
  } catch {
    throw bad('not a known form');
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = Number(url.port || (url.protocol === 'udp:' ? 8111 : 3240));
  if (!host) throw bad('no host');
  if (url.protocol === 'udp:') {
    if (url.pathname && url.pathname !== '/') throw bad('a UDP target has no path');
    return { kind: 'udp', host, port };
  }
  if (url.protocol === 'usbip:') {
    const busId = url.pathname.replace(/^\//, '');
    if (!/^\d+-\d+(\.\d+)*$/.test(busId)) throw bad(`bus id '${busId}' is not like 1-1`);
    return { kind: 'usbip', host, port, busId };
  }
  throw bad(`unknown scheme ${url.protocol}`);
}

export async function openTokenTarget(spec: string, emulator: EmulatorTargetOptions = {}): Promise<TokenTarget> {
  const parsed = parseTokenTarget(spec);
  switch (parsed.kind) {
    case 'emulator':
      return openEmulatorTarget(emulator);
    case 'udp':
      return openUdpTarget(parsed);
    case 'usbip':
      return openUsbipTarget(parsed);
    case 'hid':
      throw new TargetError('token target hid: physical keys are not wired into the runner yet; use `keyloop devices` to list them');
  }
}
