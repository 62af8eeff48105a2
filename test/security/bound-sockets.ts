// What a process listens on, read from Linux's own tables (proc(5): /proc/PID/fd and
// /proc/net/{tcp,tcp6,udp,udp6}) rather than from what the process says about itself: every
// listening TCP socket and every bound UDP socket the process holds, with its local address.
import { readdir, readFile, readlink } from 'node:fs/promises';
import { endianness } from 'node:os';

export interface BoundSocket {
  protocol: 'tcp' | 'udp';
  /** The local address: `127.0.0.1`, `0.0.0.0`, `::`, `::1`, ... */
  address: string;
  port: number;
}

/** st column: TCP_LISTEN for TCP; for UDP every bound socket counts (UNCONN is 07). */
const TCP_LISTEN = '0A';

/** The sockets of process `pid` that accept traffic (listening TCP, bound UDP). */
export async function boundSockets(pid: number): Promise<BoundSocket[]> {
  const inodes = new Set<string>();
  for (const fd of await readdir(`/proc/${pid}/fd`)) {
    const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
    const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
    if (inode) inodes.add(inode);
  }
  const sockets: BoundSocket[] = [];
  for (const [file, protocol] of [['tcp', 'tcp'], ['tcp6', 'tcp'], ['udp', 'udp'], ['udp6', 'udp']] as const) {
    const table = await readFile(`/proc/net/${file}`, 'utf8').catch(() => '');
    for (const line of table.split('\n').slice(1)) {
      const columns = line.trim().split(/\s+/);
      if (columns.length < 10 || !inodes.has(columns[9])) continue;
      const [addressHex, portHex] = columns[1].split(':');
      if (protocol === 'tcp' && columns[3] !== TCP_LISTEN) continue;
      sockets.push({ protocol, address: decodeAddress(addressHex), port: parseInt(portHex, 16) });
    }
  }
  return sockets;
}

/** The kernel prints each 32-bit word of the address in host byte order. */
function decodeAddress(hex: string): string {
  const words = hex.match(/.{8}/g)!.map((word) => (endianness() === 'LE' ? Buffer.from(word, 'hex').reverse() : Buffer.from(word, 'hex')));
  const bytes = Buffer.concat(words);
  if (bytes.length === 4) return [...bytes].join('.');
  const groups = Array.from({ length: 8 }, (_, i) => bytes.readUInt16BE(i * 2).toString(16));
  // Shortest form for the two addresses that matter here; the rest stay in full.
  const full = groups.join(':');
  if (full === '0:0:0:0:0:0:0:0') return '::';
  if (full === '0:0:0:0:0:0:0:1') return '::1';
  return full;
}
