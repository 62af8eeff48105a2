// CTAPHID conformance: every error a device must give, and how fast (CTAP 2.1 §11.2.4, §11.2.9.1.6).
import { BROADCAST_CID, CtaphidCommand, CtaphidError, MAX_MESSAGE_SIZE } from '../../emulator/ctaphid/constants.ts';
import { defineScenario } from '../../harness/runner/index.ts';
import { RawHid } from './raw-hid.ts';

const payload = (length: number) => Uint8Array.from({ length }, (_, i) => i & 0xff);

export const messageTimeout = defineScenario({
  id: 'ctaphid.msg-timeout',
  title: 'An unfinished message gets ERR_MSG_TIMEOUT after 400 to 1000 ms',
  tags: ['ctaphid', 'timing', 'negative'],
  async run({ token, expect, step, observe }) {
    const raw = new RawHid(await token.transport());
    const cid = await step('allocate', () => raw.allocate());
    await step('init packet of a 200-byte PING only', () => raw.sendPackets(cid, CtaphidCommand.PING, payload(200), [0]));
    const elapsed = await step('wait for the timeout', () => raw.expectError(cid, CtaphidError.MSG_TIMEOUT, 'unfinished message', 2_000));
    observe(`ERR_MSG_TIMEOUT after ${elapsed.toFixed(0)} ms`);
    expect.within(elapsed, 400, 1_000, 'time to ERR_MSG_TIMEOUT (ms)');
  },
});

export const channelBusy = defineScenario({
  id: 'ctaphid.channel-busy',
  title: 'A second channel gets ERR_CHANNEL_BUSY within 100 ms while the first transaction goes on',
  tags: ['ctaphid', 'concurrency', 'negative'],
  async run({ token, expect, step, observe }) {
    const raw = new RawHid(await token.transport());
    const first = await step('allocate first', () => raw.allocate());
    const second = await step('allocate second', () => raw.allocate());
    const data = payload(200);
    await step('first packet on channel 1', () => raw.sendPackets(first, CtaphidCommand.PING, data, [0]));
    await step('PING on channel 2', () => raw.send(second, CtaphidCommand.PING, payload(8)));
    const elapsed = await raw.expectError(second, CtaphidError.CHANNEL_BUSY, 'PING on a second channel during a transaction');
    observe(`ERR_CHANNEL_BUSY after ${elapsed.toFixed(0)} ms`);
    expect.within(elapsed, 0, 100, 'time to ERR_CHANNEL_BUSY (ms)');
    await step('rest of channel 1', () => raw.sendPackets(first, CtaphidCommand.PING, data, [1, 2, 3]));
    expect.equal((await raw.receive(first)).payload, data, 'first transaction completes');
  },
});

export const invalidSequence = defineScenario({
  id: 'ctaphid.invalid-seq',
  title: 'A skipped sequence number, or an init packet mid-message, gets ERR_INVALID_SEQ',
  tags: ['ctaphid', 'framing', 'negative'],
  async run({ token, step }) {
    const raw = new RawHid(await token.transport());
    const cid = await step('allocate', () => raw.allocate());
    await step('init packet, then SEQ 1 instead of 0', () => raw.sendPackets(cid, CtaphidCommand.PING, payload(200), [0, 2]));
    await raw.expectError(cid, CtaphidError.INVALID_SEQ, 'skipped sequence number');
    await step('init packet, then another init packet', async () => {
      await raw.sendPackets(cid, CtaphidCommand.PING, payload(200), [0]);
      await raw.send(cid, CtaphidCommand.PING, payload(4));
    });
    await raw.expectError(cid, CtaphidError.INVALID_SEQ, 'init packet in the middle of a message');
  },
});

export const invalidLength = defineScenario({
  id: 'ctaphid.invalid-len',
  title: 'BCNT over 7609, an empty MSG and a short INIT get ERR_INVALID_LEN',
  tags: ['ctaphid', 'framing', 'negative'],
  async run({ token, step }) {
    const raw = new RawHid(await token.transport());
    const cid = await step('allocate', () => raw.allocate());
    await step('BCNT 7610', async () => {
      const report = new Uint8Array(64);
      const view = new DataView(report.buffer);
      view.setUint32(0, cid);
      report[4] = 0x80 | CtaphidCommand.PING;
      view.setUint16(5, MAX_MESSAGE_SIZE + 1);
      await raw.writeReport(report);
      await raw.expectError(cid, CtaphidError.INVALID_LEN, 'BCNT 7610');
    });
    await step('empty MSG', async () => {
      await raw.send(cid, CtaphidCommand.MSG, new Uint8Array(0));
      await raw.expectError(cid, CtaphidError.INVALID_LEN, 'MSG with no APDU');
    });
    await step('INIT with a 4-byte nonce', async () => {
      await raw.send(cid, CtaphidCommand.INIT, payload(4));
      await raw.expectError(cid, CtaphidError.INVALID_LEN, 'INIT with a short nonce');
    });
  },
});

export const invalidChannel = defineScenario({
  id: 'ctaphid.invalid-channel',
  title: 'CID 0, a non-INIT command on broadcast, and an unallocated CID get ERR_INVALID_CHANNEL',
  tags: ['ctaphid', 'negative'],
  async run({ token, step }) {
    const raw = new RawHid(await token.transport());
    await step('PING on CID 0', async () => {
      await raw.send(0, CtaphidCommand.PING, payload(4));
      await raw.expectError(0, CtaphidError.INVALID_CHANNEL, 'PING on CID 0');
    });
    await step('PING on the broadcast CID', async () => {
      await raw.send(BROADCAST_CID, CtaphidCommand.PING, payload(4));
      await raw.expectError(BROADCAST_CID, CtaphidError.INVALID_CHANNEL, 'PING on the broadcast CID');
    });
    await step('PING on a never-allocated CID', async () => {
      await raw.send(0x0badcafe, CtaphidCommand.PING, payload(4));
      await raw.expectError(0x0badcafe, CtaphidError.INVALID_CHANNEL, 'PING on an unallocated CID');
    });
  },
});

export const invalidCommand = defineScenario({
  id: 'ctaphid.invalid-cmd',
  title: 'An unknown command gets ERR_INVALID_CMD and the channel keeps working',
  tags: ['ctaphid', 'negative'],
  async run({ token, expect, step }) {
    const raw = new RawHid(await token.transport());
    const cid = await step('allocate', () => raw.allocate());
    await step('command 0x2A', () => raw.send(cid, 0x2a, payload(4)));
    await raw.expectError(cid, CtaphidError.INVALID_CMD, 'unknown command 0x2A');
    await step('PING after the error', () => raw.send(cid, CtaphidCommand.PING, payload(10)));
    expect.equal((await raw.receive(cid)).payload, payload(10), 'PING after ERR_INVALID_CMD');
  },
});

export const errorScenarios = [messageTimeout, channelBusy, invalidSequence, invalidLength, invalidChannel, invalidCommand];
