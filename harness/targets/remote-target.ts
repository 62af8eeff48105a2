// Token targets reached over a link: `udp://HOST:PORT` (the Solo-simulator port) and
// `usbip://HOST:PORT/BUSID` (our emulator's USB/IP server, or a physical key a lab host exports
// with Linux usbipd). One link per target, shared by every transport a scenario opens.
import { openUdpTransport } from '../transports/udp.ts';
import { openUsbipTransport } from '../transports/usbip-client.ts';
import { shareTransport } from '../transports/shared-transport.ts';
import type { TokenTarget } from './token-target.ts';

export async function openUdpTarget({ host, port }: { host: string; port: number }): Promise<TokenTarget> {
  const link = shareTransport(await openUdpTransport({ host, port }));
  return {
    description: { target: `udp://${host}:${port}`, kind: 'udp' },
    capabilities: new Set(),
    openTransport: async () => link.openHandle(),
    close: () => link.close(),
  };
}

export async function openUsbipTarget({ host, port, busId }: { host: string; port: number; busId: string }): Promise<TokenTarget> {
  const transport = await openUsbipTransport({ host, port, busId });
  const link = shareTransport(transport);
  const { device } = transport;
  return {
    description: {
      target: `usbip://${host}:${port}/${busId}`,
      kind: 'usbip',
      vendorId: device.vendorId,
      productId: device.productId,
    },
    capabilities: new Set(),
    openTransport: async () => link.openHandle(),
    close: () => link.close(),
  };
}
