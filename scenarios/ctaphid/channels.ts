// CTAPHID conformance: channel allocation, PING, WINK, LOCK, resync (CTAP 2.1 §11.2.9).
import { BROADCAST_CID, Capability, CtaphidCommand, MAX_MESSAGE_SIZE } from '../../emulator/ctaphid/constants.ts';
import { CtaphidProtocolError } from '../../harness/ctaphid/index.ts';
import { defineScenario } from '../../harness/runner/index.ts';
import { RawHid } from './raw-hid.ts';

const pattern = (length: number) => Uint8Array.from({ length }, (_, i) => (i * 7 + 3) & 0xff);

export const init = defineScenario({
  id: 'ctaphid.init',
  title: 'INIT on the broadcast channel allocates distinct channels and reports protocol version 2',
  tags: ['ctaphid', 'basic'],
  async run({ token, expect, step, observe }) {
    const first = await step('INIT', () => token.channel());
    const second = await step('INIT again', () => token.channel());
    expect.true(first.cid !== 0 && first.cid !== BROADCAST_CID, 'allocated CID is neither 0 nor broadcast', first.cid.toString(16));
    expect.true(first.cid !== second.cid, 'two INITs give two channels', `${first.cid.toString(16)} twice`);
    expect.equal(first.info.protocolVersion, 2, 'CTAPHID protocol version');
    expect.equal(first.info.capabilities & Capability.NMSG, 0, 'NMSG capability (a U2F key supports MSG)');
    const { major, minor, build } = first.info.deviceVersion;
    observe(`device version ${major}.${minor}.${build}, capabilities 0x${first.info.capabilities.toString(16)}`);
  },
});

export const pingSizes = defineScenario({
  id: 'ctaphid.ping',
  title: 'PING echoes payloads of 0, 1, 57, 58, 116, 1024 and 7609 bytes',
  tags: ['ctaphid', 'basic', 'framing'],
  async run({ token, expect, step }) {
    const channel = await token.channel();
    for (const size of [0, 1, 57, 58, 116, 1024, MAX_MESSAGE_SIZE]) {
      const data = pattern(size);
      expect.equal(await step(`PING ${size} bytes`, () => channel.ping(data)), data, `echo of ${size} bytes`);
    }
  },
});

export const wink = defineScenario({
  id: 'ctaphid.wink',
  title: 'WINK is answered when the WINK capability is announced',
  tags: ['ctaphid'],
  async run({ token, step, observe }) {
    const channel = await token.channel();
    if ((channel.info.capabilities & Capability.WINK) === 0) {
      observe('WINK capability not announced; nothing to check');
      return;
    }
    await step('WINK', () => channel.wink());
  },
});

export const lock = defineScenario({
  id: 'ctaphid.lock',
  title: 'LOCK keeps other channels out (ERR_CHANNEL_BUSY) until released',
  tags: ['ctaphid'],
  async run({ token, expect, step }) {
    const owner = await token.channel();
    const other = await token.channel();
    await step('LOCK 2 s', () => owner.lock(2));
    const busy = await step('PING from another channel', () => expect.rejects(other.ping(pattern(4)), CtaphidProtocolError, 'PING while locked'));
    expect.equal(busy.codeName, 'ERR_CHANNEL_BUSY', 'error while another channel holds the lock');
    expect.equal(await step('PING from the owner', () => owner.ping(pattern(4))), pattern(4), 'owner PING while locked');
    await step('LOCK 0 (release)', () => owner.lock(0));
    expect.equal(await step('PING after release', () => other.ping(pattern(4))), pattern(4), 'PING after release');
  },
});

export const resync = defineScenario({
  id: 'ctaphid.init-resync',
  title: 'INIT on an allocated channel aborts its half-sent message and keeps the CID',
  tags: ['ctaphid', 'framing'],
  async run({ token, expect, step }) {
    const raw = new RawHid(await token.transport());
    const cid = await step('allocate', () => raw.allocate());
    await step('half a PING', () => raw.sendPackets(cid, CtaphidCommand.PING, pattern(200), [0]));
    const nonce = pattern(8);
    await step('INIT on the channel', () => raw.send(cid, CtaphidCommand.INIT, nonce));
    const answer = await raw.receive(cid);
    expect.equal(answer.command, CtaphidCommand.INIT, 'answer to INIT on an allocated channel');
    expect.equal(answer.payload.subarray(0, 8), nonce, 'nonce echoed');
    expect.equal(new DataView(answer.payload.buffer, answer.payload.byteOffset).getUint32(8), cid, 'CID kept');
    await step('PING after resync', () => raw.send(cid, CtaphidCommand.PING, pattern(100)));
    expect.equal((await raw.receive(cid)).payload, pattern(100), 'PING after resync');
  },
});

export const initDuringTransaction = defineScenario({
  id: 'ctaphid.init-other-channel',
  title: 'An INIT from another channel in the middle of a transaction is answered; the transaction goes on',
  tags: ['ctaphid', 'concurrency'],
  async run({ token, expect, step }) {
    const raw = new RawHid(await token.transport());
    const cid = await step('allocate', () => raw.allocate());
    const payload = pattern(200);
    await step('first packet of a PING', () => raw.sendPackets(cid, CtaphidCommand.PING, payload, [0]));
    const other = await step('INIT on broadcast meanwhile', () => raw.allocate());
    expect.true(other !== cid, 'a new channel was allocated', other.toString(16));
    await step('rest of the PING', () => raw.sendPackets(cid, CtaphidCommand.PING, payload, [1, 2, 3]));
    expect.equal((await raw.receive(cid)).payload, payload, 'PING echo after the interleaved INIT');
  },
});

export const channelScenarios = [init, pingSizes, wink, lock, resync, initDuringTransaction];
