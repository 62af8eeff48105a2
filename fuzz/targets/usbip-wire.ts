// USB/IP over a real TCP socket into the assembled key (emulator/serve-token.ts: token, CTAPHID,
// USB device, USB/IP server on 127.0.0.1 port 0). Each input is one connection
// (fuzz/generators/usbip-messages.ts) written in pieces cut at random points; the replies are held
// to what each message is owed (fuzz/generators/usbip-replies.ts). Checked per input besides:
// - a header the server cannot parse, a device list and a refused import end the connection, and
//   the server hangs up on nothing else;
// - the device is released when the connection ends; the token's counter does not move;
// - another host, holding the second key throughout, still gets its CTAPHID PING answered;
// and every 32 inputs a fresh host lists, imports the fuzzed key, and pings and authenticates on it.
import type { Socket } from 'node:net';
import { startTokenServers, type TokenServers } from '../../emulator/serve-token.ts';
import { CtaphidClient } from '../../harness/ctaphid/index.ts';
import { U2fClient, verifyAuthentication } from '../../harness/u2f/index.ts';
import { listUsbipDevices, openUsbipTransport } from '../../harness/transports/usbip-client.ts';
import { connectTcp } from '../../harness/transports/usbip/usbip-connect.ts';
import { encodeUnlink } from '../../harness/transports/usbip/usbip-wire.ts';
import { defineFuzzTarget } from '../fuzz-target.ts';
import { type RegisteredKey, registerFixtureKeys } from '../generators/u2f-keys.ts';
import { BUSY_BUS_ID, FUZZED_BUS_ID, type RenderedScript, renderScript, usbipScript } from '../generators/usbip-messages.ts';
import { UsbipReplyChecker } from '../generators/usbip-replies.ts';

/** How long the server may take to answer or hang up; generous, for a loaded machine. */
const DEADLINE_MS = 3000;
const HEALTH_EVERY = 32;
/** Seqnums of the client's closing unlinks, above any the scripts use. */
const CLOSING_SEQNUMS = 0x40000000;

interface Context {
  servers: TokenServers;
  /** A host on the second key for the whole run. */
  bystander: CtaphidClient;
  keys: RegisteredKey[];
  inputs: number;
}

export default defineFuzzTarget({
  name: 'usbip-wire',
  surface: 'USB/IP on TCP (devlist, import, CMD_SUBMIT, CMD_UNLINK, garbage), cut at random, into the assembled key',
  input: usbipScript,
  hangMilliseconds: 20_000,
  async setup(): Promise<Context> {
    const servers = await startTokenServers({ usbipPort: 0, udpPort: null, controlPort: null, devices: 2, presence: { mode: 'auto' } });
    try {
      const bystander = await CtaphidClient.open(await openUsbipTransport({ port: servers.usbip.port, busId: BUSY_BUS_ID }));
      const keys = await asHost(servers, (ctaphid) => registerFixtureKeys((apdu) => ctaphid.msg(apdu)));
      return { servers, bystander, keys, inputs: 0 };
    } catch (error) {
      await servers.close();
      throw error;
    }
  },
  async execute(context, script) {
    const { servers, bystander } = context;
    const token = servers.devices[0]!.token;
    const counter = token.counter;
    const rendered = renderScript(script);
    const connection = await runConnection(servers, rendered, script);
    await until(() => !servers.usbip.importedBusIds().includes(FUZZED_BUS_ID), `${FUZZED_BUS_ID} released after its connection closed`);
    if (token.counter !== counter) throw new Error(`the counter moved from ${counter} to ${token.counter}`);
    const echo = Uint8Array.of(context.inputs & 0xff, 0x55);
    if (hex(await bystander.ping(echo)) !== hex(echo)) throw new Error('the other host got a wrong PING answer');
    if (++context.inputs % HEALTH_EVERY === 0) await checkHealth(context);
    return connection;
  },
  async teardown({ servers, bystander }) {
    await bystander.close();
    await servers.close();
  },
});

/** One fuzzed connection: write the script, wait for what it is owed, leave; returns the outcome label. */
async function runConnection(servers: TokenServers, rendered: RenderedScript, script: { cuts: readonly number[]; bytewise: boolean }): Promise<string> {
  const socket = await connectTcp({ host: servers.usbip.host, port: servers.usbip.port, timeoutMs: DEADLINE_MS });
  const checker = new UsbipReplyChecker(rendered.opening);
  let leaving = false;
  let hungUp = false;
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.once('close', () => (hungUp = !leaving));
  socket.on('data', (chunk: Buffer) => checker.receive(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length)));
  socket.on('error', () => {}); // writes after the server hung up; the close says what matters
  const done = () => hungUp || checker.violation !== undefined;
  try {
    await writeScript(socket, rendered, script, checker, done);
    switch (rendered.ending) {
      case 'server-closes':
        await until(() => hungUp, `the server hangs up after ${rendered.endingReason}`);
        break;
      case 'open': {
        await until(() => done() || checker.owed === 0, 'every URB answered');
        // Leave as the kernel does: unlink what is still pending, then close.
        checker.pendingIns.forEach((pending, i) => {
          const command = { kind: 'unlink' as const, seqnum: CLOSING_SEQNUMS + i, target: pending.seqnum };
          socket.write(encodeUnlink({ seqnum: command.seqnum, devid: 0x00010001, unlinkSeqnum: command.target }));
          checker.sent(command);
        });
        await until(() => done() || (checker.owed === 0 && checker.pendingIns.length === 0), 'every unlink answered');
        break;
      }
      case 'waits':
        await until(() => done() || checker.owed === 0, 'every URB answered');
        await ticks(3);
        break;
      case 'unknown':
        await ticks(3);
        break;
    }
  } finally {
    leaving = true;
    socket.destroy();
    await closed;
  }
  if (hungUp) checker.closed();
  if (checker.violation) throw checker.violation;
  if (hungUp && rendered.ending !== 'server-closes' && rendered.ending !== 'unknown') {
    throw new Error(`the server hung up on a well-formed connection (${rendered.opening}, ${rendered.endingReason})`);
  }
  return outcome(rendered, checker);
}

/** Write the pieces, pausing at each cut; before a piece that may end the connection, wait for what is owed. */
async function writeScript(
  socket: Socket,
  rendered: RenderedScript,
  { cuts, bytewise }: { cuts: readonly number[]; bytewise: boolean },
  checker: UsbipReplyChecker,
  done: () => boolean,
): Promise<void> {
  const total = rendered.pieces.reduce((sum, piece) => sum + piece.bytes.length, 0);
  const pauses = new Set(bytewise && total <= 2048 ? Array.from({ length: total }, (_, i) => i) : cuts.map((cut) => cut % Math.max(1, total)));
  let offset = 0;
  for (const piece of rendered.pieces) {
    if (piece.settleFirst) await until(() => done() || checker.owed === 0, 'every URB answered');
    if (socket.destroyed || socket.writableEnded) return;
    let start = 0;
    for (let i = 1; i <= piece.bytes.length; i++) {
      if (i < piece.bytes.length && !pauses.has(offset + i)) continue;
      socket.write(piece.bytes.subarray(start, i));
      start = i;
      if (i < piece.bytes.length) await ticks(1);
    }
    offset += piece.bytes.length;
    if (piece.command) checker.sent(piece.command);
    if (pauses.has(offset)) await ticks(1);
  }
}

/** A fresh host: list, import the fuzzed key, enumerate, then `use` it over CTAPHID; detach and wait for the release. */
async function asHost<T>(servers: TokenServers, use: (ctaphid: CtaphidClient) => Promise<T>): Promise<T> {
  const { port } = servers.usbip;
  const listed = (await listUsbipDevices({ port })).map((device) => device.busId);
  if (!listed.includes(FUZZED_BUS_ID) || !listed.includes(BUSY_BUS_ID)) throw new Error(`device list: ${listed.join(', ')}`);
  const ctaphid = await CtaphidClient.open(await openUsbipTransport({ port, busId: FUZZED_BUS_ID }));
  try {
    return await use(ctaphid);
  } finally {
    await ctaphid.close();
    await until(() => !servers.usbip.importedBusIds().includes(FUZZED_BUS_ID), `${FUZZED_BUS_ID} released after the host left`);
  }
}

/** The fuzzed key still serves a real host: PING, then an AUTHENTICATE that verifies and counts. */
async function checkHealth({ servers, keys }: Context): Promise<void> {
  const key = keys[0]!;
  const counter = servers.devices[0]!.token.counter;
  await asHost(servers, async (ctaphid) => {
    const echo = Uint8Array.of(1, 2, 3, 4);
    if (hex(await ctaphid.ping(echo)) !== hex(echo)) throw new Error('health check: wrong PING answer');
    const challenge = new Uint8Array(32).fill(counter & 0xff);
    const assertion = await new U2fClient({ channel: ctaphid, presenceTimeoutMs: DEADLINE_MS }).authenticate({ challenge, application: key.application, keyHandle: key.keyHandle });
    if (assertion.counter !== counter + 1 || !verifyAuthentication(assertion, key.publicKey, challenge, key.application)) {
      throw new Error(`health check: AUTHENTICATE counter ${assertion.counter} after ${counter}, or a signature that does not verify`);
    }
  });
}

function outcome(rendered: RenderedScript, checker: UsbipReplyChecker): string {
  const opening = { devlist: 'OP_REP_DEVLIST', refused: 'OP_REP_IMPORT refused', closed: 'bad operation header', none: 'truncated operation', unknown: 'garbage operation' };
  if (rendered.opening !== 'imported') return opening[rendered.opening];
  const { reportsIn, completed, stalled } = checker.tally;
  const depth = reportsIn > 0 ? 'CTAPHID reports read' : completed > 1 ? 'URBs completed' : stalled > 0 ? 'URBs stalled' : 'imported';
  return `${depth}; ${rendered.endingReason}`;
}

/** Poll (yielding to I/O) until `check` holds; throws naming `what` after DEADLINE_MS. */
async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = performance.now() + DEADLINE_MS;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`not within ${DEADLINE_MS} ms: ${what}`);
    await ticks(1);
  }
}

async function ticks(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
