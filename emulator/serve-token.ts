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
import { join } from 'node:path';
import { CtaphidDevice, type CtaphidApplet } from './ctaphid/index.ts';
import { withFaults } from './faults/index.ts';
import { DEFAULT_CONTROL_PORT } from './control/control-port.ts';
import { startControlServer } from './control/control-server.ts';
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
  /** HTTP control port (emulator/control/); null turns it off; 0 picks a free one. */
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
  readonly usbip: {
    readonly host: string;
    readonly port: number;
    /** Bus ids a client has imported right now (a detach frees one when its connection closes). */
    importedBusIds(): string[];
  };
  /** Present unless udpPort was null; serves devices[0]. */
  readonly udp?: { readonly host: string; readonly port: number; readonly replyPort: number };
  /** Present unless controlPort was null. */
  readonly control?: { readonly host: string; readonly port: number };
  /** User presence on one key (default the first): serves one operation in `manual` mode. */
  touch(busId?: string): void;
  close(): Promise<void>;
}

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
    const keys: Array<ServedKey & { applet: CtaphidApplet; close: () => void }> = [];
    for (let i = 0; i < count; i++) {
      const busId = `1-${i + 1}`;
      const profile: DeviceProfile = {
        ...base,
        serialNumber: i === 0 ? base.serialNumber : `${base.serialNumber}-${i + 1}`.slice(0, 126),
        presence: presence ?? base.presence,
      };
      const token = await U2fToken.open({ profile, stateDir: stateDir === undefined ? undefined : join(stateDir, busId) });
      cleanup.push(() => token.close());
      const key = usbKey({ busId, token, applet: withFaults(token, profile.faults), profile });
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
        applet: first.applet,
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
      const endpoints = { usbipPort: usbip.port, udpPort: udp?.port };
      const server = await startControlServer({ keys, host, port: controlPort, endpoints });
      cleanup.push(() => server.close());
      control = { host: server.host, port: server.port };
    }

    return {
      devices: keys.map(({ busId, token, usb }) => ({ busId, token, usb })),
      usbip: { host: usbip.host, port: usbip.port, importedBusIds: () => usbip.importedBusIds() },
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
function usbKey({ busId, token, applet, profile }: { busId: string; token: U2fToken; applet: CtaphidApplet; profile: DeviceProfile }) {
  const newCtaphid = () =>
    new CtaphidDevice({ applet, deviceVersion: profile.deviceVersion, send: (report) => usb.send(report) });
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
  return { busId, token, applet, usb, close };
}
