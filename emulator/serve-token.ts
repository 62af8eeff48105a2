// Where the virtual key is assembled, once: profile -> U2fToken -> CtaphidDevice -> UsbHidDevice
// -> USB/IP server, plus the Solo UDP port (first key only) and a loopback HTTP control port for
// user presence from another process (`keyloop touch`).
//
//   UDP 8111 ──> CtaphidDevice ─┐
//                               ├─> U2fToken (one per key; state under stateDir/BUSID)
//   USB/IP 3240 ─> UsbHidDevice ─> CtaphidDevice ─┘
//
// The UDP port and USB/IP bus id 1-1 share one token (one key, two interfaces), each with its own
// CTAPHID stack so channels never cross. A USB detach is a power cycle: that key's CTAPHID state
// (channels, lock, message in progress) is dropped; the token and its counter live on.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { CtaphidDevice } from './ctaphid/index.ts';
import { type DeviceProfile, type PresencePolicy, U2fToken, loadProfile } from './token/index.ts';
import { startUdpReportServer } from './udp/index.ts';
import { UsbHidDevice } from './usb/index.ts';
import { type LineLogger, silentLogger, startUsbipServer } from './usbip/index.ts';

export interface TokenServersOptions {
  /** Interface for every listener; loopback unless the user says otherwise. */
  host?: string;
  /** USB/IP TCP port; 0 picks a free one. */
  usbipPort?: number;
  /** Solo-simulator UDP port for the first key; null turns UDP off; 0 picks a free one. */
  udpPort?: number | null;
  /** Where UDP replies go: the Solo tools' fixed 127.0.0.1:7112. */
  udpReplyHost?: string;
  /** 0: reply to the sender of the latest datagram (for clients on a free port; not Solo behaviour). */
  udpReplyPort?: number;
  /** HTTP control port (POST /touch); null turns it off; 0 picks a free one. */
  controlPort?: number | null;
  /** Number of virtual keys, exported as bus ids 1-1, 1-2, ... */
  devices?: number;
  /** Persistent state root: each key keeps its secret and counter in `${stateDir}/${busId}`. In memory if absent. */
  stateDir?: string;
  /** Device profile JSON; the default profile if absent. Keys after the first get `-N` appended to the serial. */
  profilePath?: string;
  /** Overrides the profile's presence policy for every key. */
  presence?: PresencePolicy;
  logger?: LineLogger;
}

export interface ServedKey {
  readonly busId: string;
  readonly token: U2fToken;
  readonly usb: UsbHidDevice;
}

export interface TokenServers {
  readonly devices: readonly ServedKey[];
  readonly usbip: { readonly host: string; readonly port: number };
  /** Present unless udpPort was null; serves devices[0]. */
  readonly udp?: { readonly host: string; readonly port: number; readonly replyPort: number };
  /** Present unless controlPort was null. */
  readonly control?: { readonly host: string; readonly port: number };
  /** User presence on one key (default the first): serves one operation in `manual` mode. */
  touch(busId?: string): void;
  close(): Promise<void>;
}

export const DEFAULT_CONTROL_PORT = 3241;

export async function startTokenServers({
  host = '127.0.0.1',
  usbipPort = 3240,
  udpPort = 8111,
  udpReplyHost = '127.0.0.1',
  udpReplyPort = 7112,
  controlPort = DEFAULT_CONTROL_PORT,
  devices: count = 1,
  stateDir,
  profilePath,
  presence,
  logger = silentLogger,
}: TokenServersOptions = {}): Promise<TokenServers> {
  if (!Number.isInteger(count) || count < 1 || count > 127) throw new RangeError(`devices: expected 1..127, got ${count}`);
  const base = await loadProfile(profilePath);
  const cleanup: Array<() => Promise<void> | void> = [];
  const closeAll = async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  };
  try {
    const keys: Array<ServedKey & { close: () => void }> = [];
    for (let i = 0; i < count; i++) {
      const busId = `1-${i + 1}`;
      const profile: DeviceProfile = {
        ...base,
        serialNumber: i === 0 ? base.serialNumber : `${base.serialNumber}-${i + 1}`.slice(0, 126),
        presence: presence ?? base.presence,
      };
      const token = await U2fToken.open({ profile, stateDir: stateDir === undefined ? undefined : join(stateDir, busId) });
      cleanup.push(() => token.close());
      const key = usbKey({ busId, token, profile });
      cleanup.push(() => key.close());
      keys.push(key);
    }

    const usbip = await startUsbipServer({
      devices: keys.map(({ busId, usb }) => ({ busId, device: usb })),
      host,
      port: usbipPort,
      logger,
    });
    cleanup.push(() => usbip.close());

    let udp: TokenServers['udp'];
    if (udpPort !== null) {
      const first = keys[0];
      const ctaphid = new CtaphidDevice({
        applet: first.token,
        deviceVersion: first.token.profile.deviceVersion,
        send: (report) => server.send(report),
      });
      cleanup.push(() => ctaphid.close());
      const server = await startUdpReportServer({
        receive: (report) => ctaphid.receive(report),
        host,
        port: udpPort,
        replyHost: udpReplyHost,
        replyPort: udpReplyPort,
        logger,
      });
      cleanup.push(() => server.close());
      udp = { host: server.host, port: server.port, replyPort: udpReplyPort };
    }

    const touch = (busId = keys[0].busId) => {
      const key = keys.find((k) => k.busId === busId);
      if (!key) throw new RangeError(`no key with bus id ${JSON.stringify(busId)} (have ${keys.map((k) => k.busId).join(', ')})`);
      key.token.touch();
      logger.info(`touch: ${busId}`);
    };

    let control: TokenServers['control'];
    if (controlPort !== null) {
      const server = await startControlServer({ host, port: controlPort, touch });
      cleanup.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
      const address = server.address() as AddressInfo;
      control = { host: address.address, port: address.port };
    }

    return {
      devices: keys.map(({ busId, token, usb }) => ({ busId, token, usb })),
      usbip: { host: usbip.host, port: usbip.port },
      udp,
      control,
      touch,
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

/** One key on the USB bus: its CTAPHID stack is rebuilt whenever the USB side is reset (unplug). */
function usbKey({ busId, token, profile }: { busId: string; token: U2fToken; profile: DeviceProfile }) {
  const newCtaphid = () =>
    new CtaphidDevice({ applet: token, deviceVersion: profile.deviceVersion, send: (report) => usb.send(report) });
  let ctaphid: CtaphidDevice;
  let closed = false;
  const usb: UsbHidDevice = new UsbHidDevice({
    identity: profile,
    receive: (report) => ctaphid.receive(report),
    onReset: () => {
      ctaphid.close();
      if (!closed) ctaphid = newCtaphid();
    },
  });
  ctaphid = newCtaphid();
  const close = () => {
    closed = true;
    ctaphid.close();
  };
  return { busId, token, usb, close };
}

/**
 * Loopback HTTP control: `POST /touch` (first key) or `POST /touch?busId=1-2` answers 204, an
 * unknown bus id 404. Anything else is 404/405. No body, no state: `curl -X POST` works too.
 */
function startControlServer({ host, port, touch }: { host: string; port: number; touch: (busId?: string) => void }): Promise<Server> {
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://control');
    if (url.pathname !== '/touch') return void response.writeHead(404).end();
    if (request.method !== 'POST') return void response.writeHead(405, { allow: 'POST' }).end();
    try {
      touch(url.searchParams.get('busId') ?? undefined);
      response.writeHead(204).end();
    } catch (error) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end(`${(error as Error).message}\n`);
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

/** Touch a key of a running `keyloop up` from another process, through its control port. */
export async function requestTouch({
  host = '127.0.0.1',
  port = DEFAULT_CONTROL_PORT,
  busId,
}: {
  /** Control host of the running servers. */
  host?: string;
  /** Control port of the running servers. */
  port?: number;
  /** Key to touch; the first if absent. */
  busId?: string;
} = {}): Promise<void> {
  const query = busId === undefined ? '' : `?busId=${encodeURIComponent(busId)}`;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}/touch${query}`;
  const response = await fetch(url, { method: 'POST' }).catch((error: Error) => {
    throw new Error(`no keyloop control port at ${host}:${port} (is \`keyloop up\` running?): ${error.message}`, { cause: error });
  });
  if (response.status !== 204) {
    throw new Error(`touch via ${host}:${port} failed: HTTP ${response.status} ${(await response.text()).trim()}`);
  }
}
