// The USB/IP server byte for byte from a raw socket (usbip_protocol.rst "Message Format"),
// including the document's own captured HID example, URB ordering and the UNLINK rules.
import { once } from 'node:events';
import { connect } from 'node:net';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type EchoServer, RawPeer, hex, i32, startEchoServer, u32 } from './support.ts';

let echo: EchoServer;
test.before.each(async () => {
  echo = await startEchoServer(2);
});
test.after.each(async () => {
  await echo.server.close();
});

const IMPORT_1_1 = hex('0111 8003 00000000' + Buffer.from('1-1').toString('hex').padEnd(64, '0'));

/** CMD_SUBMIT for interrupt endpoint 1; `data` only for OUT. */
function submit(seqnum: number, direction: 'in' | 'out', data = new Uint8Array(0), endpoint = 1): Uint8Array {
  const bytes = new Uint8Array(48 + data.length);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, 1);
  view.setUint32(4, seqnum);
  view.setUint32(8, 0x00010001);
  view.setUint32(12, direction === 'in' ? 1 : 0);
  view.setUint32(16, endpoint);
  view.setUint32(24, direction === 'in' ? 64 : data.length);
  view.setUint32(32, 0xffffffff);
  bytes.set(data, 48);
  return bytes;
}

function control(seqnum: number, setup: string, length: number): Uint8Array {
  const setupBytes = hex(setup);
  const bytes = submit(seqnum, setupBytes[0] & 0x80 ? 'in' : 'out', new Uint8Array(0), 0);
  new DataView(bytes.buffer).setUint32(24, length);
  bytes.set(setupBytes, 40);
  return bytes;
}

function unlink(seqnum: number, target: number): Uint8Array {
  const bytes = new Uint8Array(48);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, 2);
  view.setUint32(4, seqnum);
  view.setUint32(8, 0x00010001);
  view.setUint32(20, target);
  return bytes;
}

async function importAndConfigure(peer: RawPeer): Promise<void> {
  peer.write(IMPORT_1_1);
  const reply = await peer.read(8 + 312);
  assert.is(u32(reply, 4), 0);
  peer.write(control(1, '0009010000000000', 0)); // SET_CONFIGURATION(1), OUT with no data
  const ret = await peer.read(48);
  assert.equal([u32(ret, 0), u32(ret, 4), i32(ret, 20)], [3, 1, 0]);
}

test('OP_REP_DEVLIST layout: header, count, 312-byte records each followed by 4 bytes per interface', async () => {
  const peer = await RawPeer.open(echo.server.port);
  peer.write(hex('0111 8005 00000000'));
  const reply = await peer.read(12 + 2 * (312 + 4));
  await peer.closed; // usbipd answers one operation per connection
  assert.equal([...reply.subarray(0, 4)], [0x01, 0x11, 0x00, 0x05]);
  assert.is(u32(reply, 4), 0);
  assert.is(u32(reply, 8), 2);
  const second = reply.subarray(12 + 316);
  assert.is(Buffer.from(second.subarray(0x100, 0x120)).toString().replace(/\0+$/, ''), '1-2');
  assert.equal([u32(second, 0x120), u32(second, 0x124), u32(second, 0x128)], [1, 2, 2]); // busnum, devnum, speed full
  assert.equal([...second.subarray(0x12c, 0x132)], [0x12, 0x09, 0x50, 0x72, 0x01, 0x02]); // idVendor, idProduct, bcdDevice
  assert.equal([...second.subarray(0x132, 0x138)], [0, 0, 0, 1, 1, 1]);
  assert.equal([...second.subarray(0x138, 0x13c)], [3, 0, 0, 0]);
});

test('OP_REP_IMPORT: status 0 and the 312-byte record without interfaces; unknown bus id gets status 1', async () => {
  const peer = await RawPeer.open(echo.server.port);
  peer.write(IMPORT_1_1);
  const reply = await peer.read(8 + 312);
  assert.equal([...reply.subarray(0, 8)], [0x01, 0x11, 0x00, 0x03, 0, 0, 0, 0]);
  const record = reply.subarray(8);
  assert.is(Buffer.from(record.subarray(0x100, 0x120)).toString().replace(/\0+$/, ''), '1-1');
  assert.is(record[0x137], 1); // bNumInterfaces
  peer.destroy();

  const stranger = await RawPeer.open(echo.server.port);
  stranger.write(hex('0111 8003 00000000' + Buffer.from('7-7').toString('hex').padEnd(64, '0')));
  assert.equal([...(await stranger.read(8))], [0x01, 0x11, 0x00, 0x03, 0, 0, 0, 1]);
  await stranger.closed;
});

test('the protocol document captured HID example: interrupt IN waits, OUT is echoed back on IN', async () => {
  const peer = await RawPeer.open(echo.server.port);
  await importAndConfigure(peer);
  peer.write(hex('00000001 00000d05 0001000f 00000001 00000001 00000200 00000040 ffffffff 00000000 00000004 00000000 00000000'));
  peer.write(
    hex(
      '00000001 00000d06 0001000f 00000000 00000001 00000000 00000040 ffffffff 00000000 00000004 00000000 00000000' +
        'ffffffff860008a784ce5ae212376300000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000',
    ),
  );
  const replies = new Map<number, { header: Uint8Array; data: Uint8Array }>();
  for (let i = 0; i < 2; i++) {
    const header = await peer.read(48);
    const seq = u32(header, 4);
    const data = seq === 0xd05 ? await peer.read(u32(header, 24)) : new Uint8Array(0);
    replies.set(seq, { header, data });
  }
  const out = replies.get(0xd06)!;
  assert.equal([u32(out.header, 0), i32(out.header, 20), u32(out.header, 24)], [3, 0, 64]);
  assert.equal([u32(out.header, 8), u32(out.header, 12), u32(out.header, 16)], [0, 0, 0]); // devid, direction, ep zero
  const inReply = replies.get(0xd05)!;
  assert.equal([u32(inReply.header, 0), i32(inReply.header, 20), u32(inReply.header, 24)], [3, 0, 64]);
  assert.equal(Buffer.from(inReply.data.subarray(0, 8)).toString('hex'), '00ffffff860008a7'); // echo: first byte + 1
  peer.destroy();
});

test('IN URBs complete in submission order as reports arrive', async () => {
  const peer = await RawPeer.open(echo.server.port);
  await importAndConfigure(peer);
  for (const seq of [10, 11, 12]) peer.write(submit(seq, 'in'));
  assert.ok(await peer.quietFor(100), 'IN URBs held: no report yet')
  for (const [seq, tag] of [[20, 0x40], [21, 0x50], [22, 0x60]]) peer.write(submit(seq, 'out', new Uint8Array(64).fill(tag)));
  const inData = new Map<number, number>();
  const outs: number[] = [];
  for (let i = 0; i < 6; i++) {
    const header = await peer.read(48);
    const seq = u32(header, 4);
    if (seq < 20) inData.set(seq, (await peer.read(64))[0]);
    else outs.push(seq);
  }
  assert.equal([...inData.entries()].sort(), [[10, 0x41], [11, 0x51], [12, 0x61]]);
  assert.equal(outs.sort(), [20, 21, 22]);
  peer.destroy();
});

test('UNLINK of a pending IN URB: -ECONNRESET, never completed; its report goes to the next URB', async () => {
  const peer = await RawPeer.open(echo.server.port);
  await importAndConfigure(peer);
  peer.write(submit(30, 'in'));
  peer.write(unlink(31, 30));
  const ret = await peer.read(48);
  assert.equal([u32(ret, 0), u32(ret, 4), i32(ret, 20)], [4, 31, -104]);
  peer.write(submit(32, 'out', new Uint8Array(64).fill(7)));
  const outRet = await peer.read(48);
  assert.is(u32(outRet, 4), 32);
  assert.ok(await peer.quietFor(100), 'no RET_SUBMIT for the unlinked URB')
  peer.write(submit(33, 'in'));
  const inRet = await peer.read(48);
  assert.equal([u32(inRet, 0), u32(inRet, 4)], [3, 33]);
  assert.is((await peer.read(64))[0], 8);
  peer.destroy();
});

test('UNLINK after completion or of an unknown seqnum answers status 0', async () => {
  const peer = await RawPeer.open(echo.server.port);
  await importAndConfigure(peer);
  peer.write(submit(40, 'out', new Uint8Array(64)));
  assert.is(u32(await peer.read(48), 4), 40);
  peer.write(unlink(41, 40));
  const ret = await peer.read(48);
  assert.equal([u32(ret, 0), u32(ret, 4), i32(ret, 20)], [4, 41, 0]);
  peer.write(unlink(42, 999));
  assert.equal(i32(await peer.read(48), 20), 0);
  peer.destroy();
});

test('UNLINK racing the report: whichever wins, exactly one answer per URB', async () => {
  const peer = await RawPeer.open(echo.server.port);
  await importAndConfigure(peer);
  // Report and unlink in one TCP write: the OUT is handled first, so the IN completes and the unlink gets 0.
  const batch = Buffer.concat([submit(50, 'in'), submit(51, 'out', new Uint8Array(64)), unlink(52, 50)]);
  peer.write(batch);
  const seen: Array<[number, number]> = [];
  for (let i = 0; i < 3; i++) {
    const header = await peer.read(48);
    seen.push([u32(header, 4), i32(header, 20)]);
    if (u32(header, 4) === 50) await peer.read(u32(header, 24));
  }
  assert.equal(seen.sort((a, b) => a[0] - b[0]), [[50, 0], [51, 0], [52, 0]]);
  assert.ok(await peer.quietFor(100), 'nothing more');
  peer.destroy();
});

/** A host that reads nothing while paused (an `onread` socket really stops reading), as a busy one may. */
async function slowReader(port: number) {
  const chunks: Buffer[] = [];
  const buffer = Buffer.alloc(4096);
  const onread = { buffer, callback: (n: number) => (chunks.push(Buffer.from(buffer.subarray(0, n))), true) };
  const socket = connect({ host: '127.0.0.1', port, noDelay: true, onread });
  const closed = once(socket, 'close');
  socket.on('error', () => {});
  await once(socket, 'connect');
  return { socket, closed, received: () => Buffer.concat(chunks) };
}

// Found by the usbip-wire fuzz target: the server closed its socket right after the answer, so the
// host's next bytes drew a reset, and the reset discarded the answer the host had not read yet.
test('bytes sent after a device list or a refused import draw no reset: the answer is still read, then the hang-up', async () => {
  const refused = hex('0111 8003 00000000' + Buffer.from('9-9').toString('hex').padEnd(64, '0'));
  for (const [request, code, size] of [[hex('0111 8005 00000000'), 0x05, 12 + 2 * (312 + 4)], [refused, 0x03, 8]] as const) {
    const peer = await slowReader(echo.server.port);
    peer.socket.pause();
    peer.socket.write(request);
    for (const seqnum of [1, 2]) {
      await new Promise((resolve) => setTimeout(resolve, 50)); // the server has answered by now
      peer.socket.write(control(seqnum, '0009010000000000', 0));
    }
    peer.socket.resume();
    await peer.closed;
    const reply = peer.received();
    assert.is(reply.length, size);
    assert.equal([...reply.subarray(0, 4)], [0x01, 0x11, 0x00, code]);
    assert.is(u32(reply, 4), code === 0x05 ? 0 : 1);
  }
});

test('one byte per TCP segment: the import and URBs still parse', async () => {
  const peer = await RawPeer.open(echo.server.port);
  await peer.trickle(IMPORT_1_1);
  assert.is(u32(await peer.read(8 + 312), 4), 0);
  await peer.trickle(control(1, '0009010000000000', 0));
  assert.is(i32(await peer.read(48), 20), 0);
  await peer.trickle(Buffer.concat([submit(2, 'out', new Uint8Array(64).fill(1)), submit(3, 'in')]));
  const got = new Set<number>();
  for (let i = 0; i < 2; i++) {
    const header = await peer.read(48);
    got.add(u32(header, 4));
    if (u32(header, 4) === 3) assert.is((await peer.read(64))[0], 2);
  }
  assert.equal([...got].sort(), [2, 3]);
  peer.destroy();
});

test('a connection may sit idle before OP_REQ_IMPORT', async () => {
  const peer = await RawPeer.open(echo.server.port);
  await new Promise((resolve) => setTimeout(resolve, 300));
  peer.write(IMPORT_1_1);
  assert.is(u32(await peer.read(8 + 312), 4), 0);
  peer.destroy();
});

test('control transfers: STALL is -EPIPE with no data; IN returns at most wLength', async () => {
  const peer = await RawPeer.open(echo.server.port);
  await importAndConfigure(peer);
  peer.write(control(60, '8006000600000a00', 10)); // device qualifier
  const stall = await peer.read(48);
  assert.equal([u32(stall, 4), i32(stall, 20), u32(stall, 24)], [60, -32, 0]);
  peer.write(control(61, '8006000100000800', 8)); // first 8 bytes of the device descriptor
  const short = await peer.read(48);
  assert.equal([u32(short, 4), i32(short, 20), u32(short, 24)], [61, 0, 8]);
  assert.equal([...(await peer.read(8))], [18, 1, 0, 2, 0, 0, 0, 64]);
  peer.destroy();
});

test.run();
