// Every server binds to loopback unless told otherwise. Checked from the kernel's socket tables
// (not from what keyloop prints), for `keyloop up` and `keyloop iam` as users start them and for
// every in-process server factory called without a host; `--host` is the "told otherwise". The
// Solo UDP port's replies go to the fixed loopback address, never back to whoever sent.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { startControlServer } from '../../emulator/control/control-server.ts';
import { startIamServer } from '../../emulator/iam/index.ts';
import { startTokenServers } from '../../emulator/serve-token.ts';
import { startUdpReportServer } from '../../emulator/udp/index.ts';
import { startUsbipServer } from '../../emulator/usbip/index.ts';
import { openMockIamTarget } from '../../harness/targets/mock-iam-target.ts';
import { openUdpTransport } from '../../harness/transports/udp.ts';
import { freeUdpPort } from '../support/free-udp-port.ts';
import { startKeyloop } from '../support/keyloop-process.ts';
import { startKeyloopUp, type KeyloopUpProcess } from '../stress/keyloop-up-process.ts';
import { boundSockets, type BoundSocket } from './bound-sockets.ts';

/** This machine's first non-loopback IPv4 address: where a peer on the network would connect. */
const outsideAddress = Object.values(networkInterfaces())
  .flat()
  .find((entry) => entry && entry.family === 'IPv4' && !entry.internal)?.address;

const sorted = (sockets: BoundSocket[]) => [...sockets].sort((a, b) => `${a.protocol}${a.port}`.localeCompare(`${b.protocol}${b.port}`));

/** `keyloop up` with every listener on, each on a free port. */
const startUp = (host?: string) => startKeyloopUp({ host, iamPort: 0, udpPort: 0, controlPort: 0 });

function expectedSockets({ usbip, udp, control, iam }: KeyloopUpProcess, address: string): BoundSocket[] {
  return sorted([
    { protocol: 'tcp', address, port: usbip.port },
    { protocol: 'tcp', address, port: control!.port },
    { protocol: 'tcp', address, port: iam!.port },
    { protocol: 'udp', address, port: udp!.port },
  ]);
}

/** 'connected' or the connection error's code (ECONNREFUSED when nothing listens there). */
function tryConnect(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

test('keyloop up without --host: each of its listening sockets (USB/IP, UDP, control, IAM) is on 127.0.0.1 only', async () => {
  const up = await startUp();
  try {
    assert.equal(sorted(await boundSockets(up.pid)), expectedSockets(up, '127.0.0.1'));
    if (outsideAddress) {
      for (const { port } of [up.usbip, up.control!, up.iam!]) assert.is(await tryConnect(outsideAddress, port), 'ECONNREFUSED', `port ${port} from ${outsideAddress}`);
    }
  } finally {
    assert.is(await up.stop(), 0);
  }
});

test('keyloop up --host 0.0.0.0: told otherwise, every listener binds the wildcard address and answers from outside', async () => {
  const up = await startUp('0.0.0.0');
  try {
    assert.equal(sorted(await boundSockets(up.pid)), expectedSockets(up, '0.0.0.0'));
    if (outsideAddress) assert.is(await tryConnect(outsideAddress, up.usbip.port), 'connected');
  } finally {
    assert.is(await up.stop(), 0);
  }
});

test('keyloop iam without --host listens on 127.0.0.1 only', async () => {
  const iam = startKeyloop(['iam', '--iam-port', '0']);
  try {
    const port = Number((await iam.waitFor(/IAM \+ STS\s+http:\/\/127\.0\.0\.1:(\d+)/))[1]);
    assert.equal(await boundSockets(iam.pid), [{ protocol: 'tcp', address: '127.0.0.1', port }]);
  } finally {
    assert.is(await iam.stop(), 0);
  }
});

test('every server factory called without a host binds 127.0.0.1', async () => {
  const servers = [
    await startUsbipServer({ devices: [], port: 0 }),
    await startUdpReportServer({ receive: () => {}, port: 0 }),
    await startControlServer({ keys: [], port: 0 }),
    await startIamServer({ port: 0 }),
  ];
  const token = await startTokenServers({ usbipPort: 0, udpPort: 0, controlPort: 0 });
  const mock = await openMockIamTarget({ runId: 'loopback' });
  const udpClient = await openUdpTransport({ port: 9, listenPort: 0 });
  try {
    const mine = await boundSockets(process.pid);
    const addressOf = (protocol: BoundSocket['protocol'], port: number) => mine.filter((s) => s.protocol === protocol && s.port === port).map((s) => s.address);
    const listeners: Array<[BoundSocket['protocol'], string, number]> = [
      ['tcp', servers[0].host, servers[0].port],
      ['udp', servers[1].host, servers[1].port],
      ['tcp', servers[2].host, servers[2].port],
      ['tcp', servers[3].host, servers[3].port],
      ['tcp', token.usbip.host, token.usbip.port],
      ['udp', token.udp!.host, token.udp!.port],
      ['tcp', token.control!.host, token.control!.port],
      ['tcp', mock.server.host, mock.server.port],
      ['udp', '127.0.0.1', udpClient.listenPort],
    ];
    for (const [protocol, host, port] of listeners) {
      assert.is(host, '127.0.0.1', `${protocol} ${port}: reported host`);
      assert.equal(addressOf(protocol, port), ['127.0.0.1'], `${protocol} ${port}: bound address`);
    }
  } finally {
    await Promise.all([...servers.map((server) => server.close()), token.close(), mock.close(), udpClient.close()]);
  }
});

test('the Solo UDP port, even on the wildcard address, replies to 127.0.0.1 and never to the sender', async () => {
  const replyPort = await freeUdpPort();
  const servers = await startTokenServers({ host: '0.0.0.0', usbipPort: 0, udpPort: 0, controlPort: null, udpReplyPort: replyPort });
  const bind = async (address: string, port: number): Promise<{ socket: UdpSocket; received: Buffer[] }> => {
    const socket = createSocket('udp4');
    const received: Buffer[] = [];
    socket.on('message', (message) => received.push(message));
    await new Promise<void>((resolve) => socket.bind(port, address, () => resolve()));
    return { socket, received };
  };
  // A peer on the network when the machine has an address there, else another loopback address.
  const from = outsideAddress ?? '127.0.0.2';
  const loopback = await bind('127.0.0.1', replyPort);
  const sender = await bind(from, 0);
  try {
    const init = Buffer.alloc(64);
    init.set([0xff, 0xff, 0xff, 0xff, 0x86, 0x00, 0x08, 1, 2, 3, 4, 5, 6, 7, 8]);
    sender.socket.send(init, servers.udp!.port, from);
    const reply = await new Promise<Buffer>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no INIT reply on the loopback reply port in 10 s')), 10_000);
      loopback.socket.once('message', (message) => {
        clearTimeout(timer);
        resolve(message);
      });
    });
    assert.equal([...reply.subarray(0, 5)], [0xff, 0xff, 0xff, 0xff, 0x86], 'INIT response on the broadcast channel');
    assert.equal([...reply.subarray(7, 15)], [1, 2, 3, 4, 5, 6, 7, 8], 'it echoes our nonce');
    assert.is(sender.received.length, 0, `nothing went back to the sender at ${from}`);
  } finally {
    sender.socket.close();
    loopback.socket.close();
    await servers.close();
  }
});

test.run();
