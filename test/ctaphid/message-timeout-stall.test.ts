// The message timeout (CTAP 2.1 §11.2.5) measures the host's silence, not the device's own: when
// the emulator's process stalls past the timeout while the host's next packet is already on the
// wire, the packet counts. Found by the 64-key USB/IP load test on a busy machine, where the
// device answered ERR_MSG_TIMEOUT to hosts that had sent in time.
import { createServer, connect, type Server, type Socket } from 'node:net';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CtaphidCommand, CtaphidError } from '../../emulator/ctaphid/constants.ts';
import { fragmentMessage } from '../../emulator/ctaphid/framing.ts';
import { DeviceRig, echoApplet, errorCode, waitFor } from './helpers.ts';

const TIMEOUT_MS = 100;

/** The device behind a loopback TCP socket, 64-byte reports as they arrive: packets are real I/O. */
async function socketDevice(rig: DeviceRig): Promise<{ server: Server; host: Socket; received: () => number }> {
  let received = 0;
  const server = createServer((socket) => {
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 64) {
        rig.device.receive(new Uint8Array(pending.subarray(0, 64)));
        pending = pending.subarray(64);
        received++;
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const host = connect({ host: '127.0.0.1', port, noDelay: true });
  await new Promise((resolve) => host.once('connect', resolve));
  return { server, host, received: () => received };
}

/** Block this process, as a busy event loop does. */
function stall(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

test('a continuation that arrived during a stall of the device completes the message', async () => {
  const rig = new DeviceRig(echoApplet(), { messageTimeoutMs: TIMEOUT_MS });
  const cid = rig.open();
  const { server, host, received } = await socketDevice(rig);
  try {
    const payload = Uint8Array.from({ length: 100 }, (_, i) => i);
    const [init, continuation] = fragmentMessage(cid, CtaphidCommand.PING, payload);
    host.write(init);
    await waitFor(() => received() === 1);
    host.write(continuation);
    // The continuation reaches the socket at once; the device's process only reads it after the
    // timer has expired, and Node runs expired timers before it reads sockets.
    stall(TIMEOUT_MS * 3);
    await waitFor(() => rig.sent.length > 0);
    assert.equal(rig.take(), [{ cid, command: CtaphidCommand.PING, payload }]);
  } finally {
    host.destroy();
    server.close();
    rig.close();
  }
});

test('a host that really goes quiet still gets ERR_MSG_TIMEOUT', async () => {
  const rig = new DeviceRig(echoApplet(), { messageTimeoutMs: TIMEOUT_MS });
  const cid = rig.open();
  rig.device.receive(fragmentMessage(cid, CtaphidCommand.PING, new Uint8Array(100))[0]);
  await waitFor(() => rig.sent.length > 0);
  assert.equal(rig.take().map(errorCode), [CtaphidError.MSG_TIMEOUT]);
  rig.close();
});

test.run();
