// The assembled key (profile -> U2fToken -> CTAPHID -> USB -> USB/IP and UDP) end to end: CTAPHID
// INIT/PING and U2F register/authenticate through the harness's USB/IP and UDP transports, several
// keys with their own state, touch from another process, and faults that must not hang a client.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTokenServers, type TokenServers } from '../../emulator/serve-token.ts';
import { UpControl } from '../../harness/targets/up-control.ts';
import { parsePresencePolicy } from '../../emulator/token/index.ts';
import { CtaphidClient } from '../../harness/ctaphid/index.ts';
import { U2fClient, verifyAuthentication, verifyRegistration } from '../../harness/u2f/index.ts';
import type { ReportTransport } from '../../harness/transports/report-transport.ts';
import { UsbipClientError, listUsbipDevices, openUsbipTransport } from '../../harness/transports/usbip-client.ts';
import { openUdpTransport } from '../../harness/transports/udp.ts';
import { freeUdpPort } from '../support/free-udp-port.ts';

const sha256 = (text: string) => new Uint8Array(createHash('sha256').update(text).digest());


async function start(options: Parameters<typeof startTokenServers>[0] = {}): Promise<TokenServers & { replyPort: number }> {
  const replyPort = await freeUdpPort();
  const servers = await startTokenServers({ usbipPort: 0, udpPort: 0, udpReplyPort: replyPort, controlPort: 0, ...options });
  return Object.assign(servers, { replyPort });
}

/** Register then authenticate twice, verifying every signature with node:crypto. */
async function registerAndAuthenticate(transport: ReportTransport): Promise<number[]> {
  const ctaphid = await CtaphidClient.open(transport);
  try {
    const echo = randomBytes(300);
    assert.equal(Buffer.from(await ctaphid.ping(echo)), echo);
    const u2f = new U2fClient({ channel: ctaphid, presenceTimeoutMs: 3000 });
    assert.is(await u2f.version(), 'U2F_V2');
    const application = sha256('https://keyloop.test');
    const challenge = sha256('register');
    const registration = await u2f.register({ challenge, application });
    assert.ok(verifyRegistration(registration, challenge, application));
    const counters: number[] = [];
    for (const label of ['one', 'two']) {
      const authChallenge = sha256(label);
      const assertion = await u2f.authenticate({ challenge: authChallenge, application, keyHandle: registration.keyHandle });
      assert.ok(assertion.userPresence);
      assert.ok(verifyAuthentication(assertion, registration.userPublicKey, authChallenge, application));
      counters.push(assertion.counter);
    }
    return counters;
  } finally {
    await ctaphid.close();
  }
}

test('USB/IP: CTAPHID INIT/PING and U2F register/authenticate end to end', async () => {
  const servers = await start({ udpPort: null });
  try {
    const transport = await openUsbipTransport({ port: servers.usbip.port, busId: '1-1' });
    const [first, second] = await registerAndAuthenticate(transport);
    assert.is(second, first + 1);
    assert.equal([...transport.descriptors.device.subarray(8, 12)], [0x09, 0x12, 0x1d, 0x7f]); // 1209:7f1d, default profile
    await transport.close();
  } finally {
    await servers.close();
  }
});

test('UDP: the same flow on the Solo port, sharing the first key (and its counter) with USB/IP 1-1', async () => {
  const servers = await start();
  try {
    const udp = await openUdpTransport({ port: servers.udp!.port, listenPort: servers.replyPort });
    const [a] = await registerAndAuthenticate(udp);
    await udp.close();
    const usb = await openUsbipTransport({ port: servers.usbip.port, busId: '1-1' });
    const [b] = await registerAndAuthenticate(usb);
    await usb.close();
    assert.ok(b > a, `counter ${b} after ${a}`);
  } finally {
    await servers.close();
  }
});

test('three keys: bus ids 1-1..1-3, distinct serials, own state directories, concurrent use', async () => {
  const stateDir = await mkdtemp(join(tmpdir(), 'keyloop-state-'));
  const servers = await start({ devices: 3, stateDir, udpPort: null });
  try {
    assert.equal(servers.devices.map((d) => d.busId), ['1-1', '1-2', '1-3']);
    const serials = new Set(servers.devices.map((d) => d.token.profile.serialNumber));
    assert.is(serials.size, 3);
    assert.equal((await readdir(stateDir)).sort(), ['1-1', '1-2', '1-3']);
    assert.is((await listUsbipDevices({ port: servers.usbip.port })).length, 3);
    const transports = await Promise.all(['1-1', '1-2', '1-3'].map((busId) => openUsbipTransport({ port: servers.usbip.port, busId })));
    await Promise.all(transports.map((t) => registerAndAuthenticate(t)));
    await Promise.all(transports.map((t) => t.close()));
  } finally {
    await servers.close();
    await rm(stateDir, { recursive: true, force: true });
  }
});

test('manual presence: registration waits until a touch arrives through the control port', async () => {
  const servers = await start({ presence: parsePresencePolicy('manual'), udpPort: null });
  try {
    const transport = await openUsbipTransport({ port: servers.usbip.port });
    const ctaphid = await CtaphidClient.open(transport);
    let prompted = 0;
    const u2f = new U2fClient({ channel: ctaphid, presenceTimeoutMs: 3000, onTouchNeeded: () => { prompted++; } });
    const pending = u2f.register({ challenge: sha256('c'), application: sha256('a') });
    await new Promise((resolve) => setTimeout(resolve, 150));
    assert.is(prompted, 1);
    await new UpControl({ port: servers.control!.port }).touch();
    const registration = await pending;
    assert.is(registration.keyHandle.length > 0, true);
    const unknown = await new UpControl({ port: servers.control!.port }).touch('1-9').catch((e) => e);
    assert.match(unknown.message, /HTTP 404/);
    assert.throws(() => servers.touch('1-9'), RangeError);
    await ctaphid.close();
    await transport.close();
  } finally {
    await servers.close();
  }
  const down = await new UpControl({ port: servers.control!.port }).touch().catch((e) => e);
  assert.match(down.message, /no keyloop control port/);
});

test('re-attach is a power cycle for CTAPHID; the token and its counter carry on', async () => {
  const servers = await start({ udpPort: null });
  try {
    const first = await openUsbipTransport({ port: servers.usbip.port });
    const [a] = await registerAndAuthenticate(first);
    await first.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const second = await openUsbipTransport({ port: servers.usbip.port });
    const [b] = await registerAndAuthenticate(second);
    await second.close();
    assert.ok(b > a);
  } finally {
    await servers.close();
  }
});

test('servers killed mid-transaction: the USB/IP client read rejects at once, no hang', async () => {
  const servers = await start({ presence: parsePresencePolicy('manual'), udpPort: null });
  const transport = await openUsbipTransport({ port: servers.usbip.port });
  const ctaphid = await CtaphidClient.open(transport);
  const u2f = new U2fClient({ channel: ctaphid, presenceTimeoutMs: 10_000 });
  const pending = u2f.register({ challenge: sha256('c'), application: sha256('a') }).catch((e) => e);
  await new Promise((resolve) => setTimeout(resolve, 100));
  const started = Date.now();
  await servers.close();
  const error = await pending;
  assert.instance(error, Error);
  assert.ok(Date.now() - started < 2000, 'rejected promptly');
  const readError = await transport.read(5000).catch((e) => e);
  assert.ok(readError instanceof UsbipClientError || readError.name === 'TransportClosedError', String(readError));
  await ctaphid.close().catch(() => {});
  await transport.close();
});

test('a state directory is locked: a second server on the same state fails and frees its ports', async () => {
  const stateDir = await mkdtemp(join(tmpdir(), 'keyloop-state-'));
  const servers = await start({ stateDir, udpPort: null });
  try {
    const error = await start({ stateDir, udpPort: null }).catch((e) => e);
    assert.instance(error, Error);
  } finally {
    await servers.close();
    await rm(stateDir, { recursive: true, force: true });
  }
});

test.run();
