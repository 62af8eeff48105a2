// `keyloop devices`: the FIDO keys this machine can reach, through node-hid and on USB/IP servers.
import type { Command } from 'commander';
import { listHidDevices } from '../transports/hid.ts';
import { listUsbipDevices } from '../transports/usbip-client.ts';
import { ExitCode } from './exit-codes.ts';
import { formatUsbId as hex } from '../util/usb-id.ts';

interface DevicesFlags {
  usbip: string[];
  json: boolean;
}

interface Listing {
  hid: Array<{ target: string; vendorId: string; productId: string; product?: string; manufacturer?: string; serialNumber?: string }>;
  usbip: Array<{ server: string; target?: string; busId?: string; vendorId?: string; productId?: string; interfaces?: string[]; error?: string }>;
  hidError?: string;
}


export function registerDevicesCommand(program: Command): void {
  program
    .command('devices')
    .description('List FIDO keys visible through the OS HID stack (node-hid) and on USB/IP servers.')
    .option('--usbip <server...>', 'also list the devices these USB/IP servers (HOST or HOST:PORT, port 3240 by default) export', [])
    .option('--json', 'print the listing as JSON', false)
    .addHelpText('after', `
Each line shows the --token value that runs scenarios on that key, e.g.
  keyloop devices --usbip 127.0.0.1      then   keyloop run --token usbip://127.0.0.1:3240/1-1`)
    .action(async (flags: DevicesFlags) => {
      const listing = await list(flags.usbip);
      if (flags.json) console.log(JSON.stringify(listing, null, 2));
      else print(listing);
      process.exitCode = ExitCode.PASS;
    });
}

async function list(servers: string[]): Promise<Listing> {
  const listing: Listing = { hid: [], usbip: [] };
  try {
    for (const d of await listHidDevices()) {
      listing.hid.push({ target: `hid:${d.path}`, vendorId: hex(d.vendorId), productId: hex(d.productId), product: d.product, manufacturer: d.manufacturer, serialNumber: d.serialNumber });
    }
  } catch (error) {
    listing.hidError = (error as Error).message;
  }
  for (const server of servers) {
    const [host, portText] = server.startsWith('[') ? [server.slice(1, server.indexOf(']')), server.split(']:')[1]] : server.split(':');
    const port = Number(portText ?? 3240);
    const authority = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
    try {
      for (const d of await listUsbipDevices({ host, port, timeoutMs: 3000 })) {
        listing.usbip.push({
          server: authority,
          target: `usbip://${authority}/${d.busId}`,
          busId: d.busId,
          vendorId: hex(d.vendorId),
          productId: hex(d.productId),
          interfaces: d.interfaces.map((i) => [i.interfaceClass, i.interfaceSubClass, i.interfaceProtocol].map((n) => n.toString(16).padStart(2, '0')).join('/')),
        });
      }
    } catch (error) {
      listing.usbip.push({ server: authority, error: (error as Error).message });
    }
  }
  return listing;
}

function print(listing: Listing): void {
  console.log('HID (node-hid, usage page F1D0):');
  if (listing.hidError) console.log(`  cannot enumerate: ${listing.hidError}`);
  else if (listing.hid.length === 0) console.log('  none');
  for (const d of listing.hid) console.log(`  ${d.target.padEnd(28)} ${d.vendorId}:${d.productId}  ${[d.manufacturer, d.product].filter(Boolean).join(' ')}`);
  if (listing.usbip.length === 0) return;
  console.log('USB/IP:');
  for (const d of listing.usbip) {
    if (d.error) console.log(`  ${d.server}: ${d.error}`);
    else console.log(`  ${d.target!.padEnd(28)} ${d.vendorId}:${d.productId}  interfaces ${d.interfaces!.join(', ')}`);
  }
}
