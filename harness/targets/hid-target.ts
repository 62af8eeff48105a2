// The `hid` / `hid:PATH` token target: a physical key on this machine through the OS HID stack
// (node-hid). `hid` alone takes the only FIDO key present and refuses to guess among several.
import { listHidDevices, openHidTransport, type HidBackend, type HidDeviceInfo } from '../transports/hid.ts';
import { shareTransport } from '../transports/shared-transport.ts';
import type { TokenTarget } from './token-target.ts';
import { TargetError } from './target-error.ts';
import { readUsbDescriptors } from './usb-descriptors.ts';
import { formatVidPid } from '../util/usb-id.ts';

export interface HidTargetOptions {
  /** hidraw path (hid:PATH); the only FIDO key present when omitted. */
  path?: string;
  /** node-hid by default; tests inject a fake device. */
  backend?: HidBackend;
}

export async function openHidTarget({ path, backend }: HidTargetOptions = {}): Promise<TokenTarget> {
  const keys = await listHidDevices({ backend });
  const key = path ? keys.find((k) => k.path === path) : onlyKey(keys);
  if (!key) throw new TargetError(`no FIDO key at ${path}; ${listing(keys)}`);
  const link = shareTransport(await openHidTransport({ path: key.path, backend }));
  const usbDescriptors = backend ? undefined : await readUsbDescriptors(key.vendorId, key.productId);
  return {
    description: {
      target: `hid:${key.path}`,
      kind: 'hid',
      vendorId: key.vendorId,
      productId: key.productId,
      manufacturer: key.manufacturer,
      product: key.product,
      serialNumber: key.serialNumber,
      usbDescriptors,
    },
    capabilities: new Set(),
    openTransport: async () => link.openHandle(),
    close: () => link.close(),
  };
}

function onlyKey(keys: HidDeviceInfo[]): HidDeviceInfo {
  if (keys.length === 1) return keys[0];
  throw new TargetError(keys.length === 0 ? 'no FIDO key found through node-hid (usage page F1D0); plug one in, or check /dev/hidraw* permissions' : `${keys.length} FIDO keys present, name one with --token hid:PATH; ${listing(keys)}`);
}

function listing(keys: HidDeviceInfo[]): string {
  if (keys.length === 0) return 'none present';
  return `present: ${keys.map((k) => `hid:${k.path} (${formatVidPid(k.vendorId, k.productId)} ${k.product ?? ''})`.trim()).join(', ')}`;
}
