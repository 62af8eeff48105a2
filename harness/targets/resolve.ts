// `--token` parsing: one string names a target; unknown or malformed names fail with the list
// of forms that are accepted.
import { openEmulatorTarget, type EmulatorTargetOptions } from './emulator-target.ts';
import { DEFAULT_CONTROL_PORT } from '../../emulator/control/control-port.ts';
import { openUdpTarget, openUsbipTarget, type ControlEndpoint } from './remote-target.ts';
import { openHidTarget } from './hid-target.ts';
import { TargetError } from './target-error.ts';
import type { TokenTarget } from './token-target.ts';
import { TOKEN_TARGET_FORMS } from './target-forms.ts';

/**
 * Remote targets may name `keyloop up`'s control port: `?control=PORT`, `?control=HOST:PORT` or
 * `?control=off`. By default a loopback target looks for it on port 3241.
 */
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

export { TargetError };

export type TokenTargetSpec =
  | { kind: 'emulator' }
  | { kind: 'udp'; host: string; port: number; control?: ControlEndpoint }
  | { kind: 'usbip'; host: string; port: number; busId: string; control?: ControlEndpoint }
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
  const control = controlEndpoint(host, url.searchParams.get('control'), bad);
  const withControl = control ? { control } : {};
  if (url.protocol === 'udp:') {
    if (url.pathname && url.pathname !== '/') throw bad('a UDP target has no path');
    return { kind: 'udp', host, port, ...withControl };
  }
  if (url.protocol === 'usbip:') {
    const busId = url.pathname.replace(/^\//, '');
    if (!/^\d+-\d+(\.\d+)*$/.test(busId)) throw bad(`bus id '${busId}' is not like 1-1`);
    return { kind: 'usbip', host, port, busId, ...withControl };
  }
  throw bad(`unknown scheme ${url.protocol}`);
}

function controlEndpoint(host: string, value: string | null, bad: (why: string) => Error): ControlEndpoint | undefined {
  if (value === 'off') return undefined;
  if (value === null) return LOOPBACK.has(host) ? { host, port: DEFAULT_CONTROL_PORT } : undefined;
  const match = /^(?:(.+):)?(\d{1,5})$/.exec(value);
  if (!match || Number(match[2]) > 65535) throw bad(`control '${value}' is not PORT, HOST:PORT or off`);
  return { host: match[1] ?? host, port: Number(match[2]) };
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
      return openHidTarget({ path: parsed.path });
  }
}
