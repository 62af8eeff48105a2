// Token targets reached over a link: `udp://HOST:PORT` (the Solo-simulator port) and
// `usbip://HOST:PORT/BUSID` (our emulator's USB/IP server, or a physical key a lab host exports
// with Linux usbipd). One link per target, shared by every transport a scenario opens. When the
// key is served by `keyloop up` with a control port, the target also controls its presence.
import { openUdpTransport } from '../transports/udp.ts';
import { openUsbipTransport } from '../transports/usbip-client.ts';
import { shareTransport } from '../transports/shared-transport.ts';
import { parsePresencePolicy } from '../../emulator/token/index.ts';
import type { Capability, TokenControl, TokenDescription, TokenTarget } from './token-target.ts';
import { UpControl } from './up-control.ts';

export interface ControlEndpoint {
  host: string;
  port: number;
}

export async function openUdpTarget({ host, port, control }: { host: string; port: number; control?: ControlEndpoint }): Promise<TokenTarget> {
  const link = shareTransport(await openUdpTransport({ host, port }));
  // The UDP port serves the first key of `keyloop up`.
  const remote = control && (await remoteControl(control, (keys) => keys.udpPort === port, '1-1'));
  return {
    description: { target: `udp://${host}:${port}`, kind: 'udp', ...remote?.identity },
    capabilities: new Set<Capability>(remote ? ['presence-control'] : []),
    control: remote?.control,
    openTransport: async () => link.openHandle(),
    close: () => link.close(),
  };
}

export async function openUsbipTarget({ host, port, busId, control }: { host: string; port: number; busId: string; control?: ControlEndpoint }): Promise<TokenTarget> {
  const transport = await openUsbipTransport({ host, port, busId });
  const link = shareTransport(transport);
  const remote = control && (await remoteControl(control, (keys) => keys.usbipPort === port, busId));
  const { device } = transport;
  return {
    description: { target: `usbip://${host}:${port}/${busId}`, kind: 'usbip', vendorId: device.vendorId, productId: device.productId, ...remote?.identity },
    capabilities: new Set<Capability>(remote ? ['presence-control'] : []),
    control: remote?.control,
    openTransport: async () => link.openHandle(),
    close: () => link.close(),
  };
}

/**
 * Presence control through `keyloop up`'s control port, if that port belongs to the server that
 * serves this key; undefined when nothing answers there or it serves other ports.
 */
async function remoteControl(
  endpoint: ControlEndpoint,
  servesThisLink: (keys: { usbipPort?: number; udpPort?: number }) => boolean,
  busId: string,
): Promise<{ control: TokenControl; identity: Partial<TokenDescription> } | undefined> {
  const up = new UpControl({ ...endpoint, timeoutMs: 1_000 });
  const listing = await up.keys().catch(() => undefined);
  const key = listing && servesThisLink(listing) ? listing.keys.find((k) => k.busId === busId) : undefined;
  if (!key) return undefined;
  const initial = parsePresencePolicy(key.presence);
  return {
    identity: { vendorId: key.vendorId, productId: key.productId, product: key.product, serialNumber: key.serialNumber },
    control: {
      setPresence: (policy) => up.setPresence(policy, busId),
      touch: () => up.touch(busId),
      restart: () => Promise.reject(new Error('a remote key cannot be power-cycled from the harness')),
      reset: () => up.setPresence(initial, busId),
    },
  };
}
