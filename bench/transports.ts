// Transport figures: CTAPHID PING round trips and U2F authentications per second in-process,
// over UDP and over USB/IP on loopback (in-process is the reference), and USB/IP with 1, 8 and
// 32 keys on one server. The load profile signs with node:crypto, so the figures show the
// transports, not P-256 arithmetic.
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { startTokenServers } from '../emulator/serve-token.ts';
import { loadProfile, U2fToken } from '../emulator/token/index.ts';
import { CtaphidClient } from '../harness/ctaphid/index.ts';
import { U2fClient } from '../harness/u2f/index.ts';
import { createPipeTransport } from '../harness/transports/pipe.ts';
import type { ReportTransport } from '../harness/transports/report-transport.ts';
import { openUdpTransport } from '../harness/transports/udp.ts';
import { openUsbipTransport } from '../harness/transports/usbip-client.ts';
import { compare, type BenchRow } from './table.ts';

const LOAD_PROFILE = fileURLToPath(new URL('../fixtures/profiles/load.json', import.meta.url));
const APP = new Uint8Array(createHash('sha256').update('https://bench.example').digest());
/** A full-speed USB interrupt endpoint moves one 64-byte report per 1 ms frame each way. */
const FULL_SPEED_REPORTS_PER_SEC = 1000;
// A PING of 1024 bytes is 1 init + 17 continuation reports each way.
const LONG_PING = 1024;
const LONG_PING_REPORTS = 18;

interface Rates {
  ping: number;
  longPing: number;
  authenticate: number;
  failures: number;
}

/** Calls `body` in a loop for `seconds`; counts completions and failures. */
async function loop(seconds: number, body: () => Promise<void>): Promise<{ perSec: number; failures: number }> {
  const end = performance.now() + seconds * 1000;
  const start = performance.now();
  let done = 0;
  let failures = 0;
  while (performance.now() < end) {
    try {
      await body();
      done++;
    } catch {
      failures++;
    }
  }
  return { perSec: done / ((performance.now() - start) / 1000), failures };
}

async function authenticator(transport: ReportTransport): Promise<() => Promise<void>> {
  const u2f = new U2fClient({ channel: await CtaphidClient.open(transport) });
  const { keyHandle } = await u2f.register({ challenge: new Uint8Array(32), application: APP });
  const challenge = new Uint8Array(32);
  let n = 0;
  return async () => {
    challenge[0] = n++ & 0xff;
    await u2f.authenticate({ challenge, application: APP, keyHandle });
  };
}

async function measure(transport: ReportTransport, seconds: number): Promise<Rates> {
  const client = await CtaphidClient.open(transport);
  const short = new Uint8Array(57);
  const long = new Uint8Array(LONG_PING);
  const ping = await loop(seconds / 3, async () => void (await client.ping(short)));
  const longPing = await loop(seconds / 3, async () => {
    const echo = await client.ping(long);
    if (echo.length !== LONG_PING) throw new Error('short echo');
  });
  const authenticate = await loop(seconds / 3, await authenticator(transport));
  return { ping: ping.perSec, longPing: longPing.perSec, authenticate: authenticate.perSec, failures: ping.failures + longPing.failures + authenticate.failures };
}

/** `keys` USB/IP imports on one server authenticating at once; total rate and failures. */
async function concurrentKeys(port: number, keys: number, seconds: number): Promise<{ perSec: number; failures: number }> {
  const transports = await Promise.all(Array.from({ length: keys }, (_, i) => openUsbipTransport({ port, busId: `1-${i + 1}` })));
  try {
    const bodies = await Promise.all(transports.map(authenticator));
    const results = await Promise.all(bodies.map((body) => loop(seconds, body)));
    return { perSec: results.reduce((sum, r) => sum + r.perSec, 0), failures: results.reduce((sum, r) => sum + r.failures, 0) };
  } finally {
    await Promise.all(transports.map((t) => t.close()));
  }
}

export async function transportRows(seconds: number): Promise<BenchRow[]> {
  const profile = await loadProfile(LOAD_PROFILE);
  const token = await U2fToken.open({ profile });
  const servers = await startTokenServers({ usbipPort: 0, udpPort: 0, controlPort: null, devices: 32, profilePath: LOAD_PROFILE });
  const rows: BenchRow[] = [];
  try {
    const pipe = createPipeTransport(token);
    const inProcess = await measure(pipe, seconds);
    await pipe.close();
    const udpTransport = await openUdpTransport({ port: servers.udp!.port });
    const udp = await measure(udpTransport, seconds);
    await udpTransport.close();
    const usbipTransport = await openUsbipTransport({ port: servers.usbip.port, busId: '1-1' });
    const usbip = await measure(usbipTransport, seconds);
    await usbipTransport.close();

    for (const [name, rates] of [['UDP', udp], ['USB/IP', usbip]] as const) {
      rows.push(compare(`PING 57 B round trips, ${name}`, rates.ping, '/s', 'same, in-process', inProcess.ping));
      rows.push(compare(`U2F authenticate, ${name}`, rates.authenticate, '/s', 'same, in-process', inProcess.authenticate));
    }
    for (const [name, rates] of [['in-process', inProcess], ['UDP', udp], ['USB/IP', usbip]] as const) {
      const reportsPerSec = rates.longPing * LONG_PING_REPORTS;
      rows.push(compare(`reports/s each way (PING 1024 B), ${name}`, reportsPerSec, '/s', 'full-speed USB key', FULL_SPEED_REPORTS_PER_SEC));
      rows.push({ figure: `failed requests, ${name}`, value: rates.failures, unit: '', target: '0', met: rates.failures === 0 });
    }
    // The best existing virtual key over USB/IP answers ~880 authentications/s one at a time.
    rows.push(compare('U2F authenticate one at a time, USB/IP', usbip.authenticate, '/s', 'best existing virtual key (published)', 880, { text: '>= 2x', min: 2 }));
    const single = await concurrentKeys(servers.usbip.port, 1, seconds / 3);
    for (const keys of [8, 32]) {
      const many = await concurrentKeys(servers.usbip.port, keys, seconds / 3);
      rows.push(compare(`U2F authenticate, ${keys} keys on one USB/IP server`, many.perSec, '/s total', '1 key on the same server', single.perSec));
      rows.push({ figure: `failed requests, ${keys} keys`, value: many.failures, unit: '', target: '0', met: many.failures === 0 });
    }
  } finally {
    await servers.close();
    await token.close();
  }
  return rows;
}
