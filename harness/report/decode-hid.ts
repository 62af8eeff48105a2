// Decodes one 64-byte CTAPHID report (CTAP 2.1 section 11.2.4) into CID/CMD/BCNT or CID/SEQ
// fields, plus the payload of the short messages whose meaning fits in one packet: INIT
// (section 11.2.9.1.3), ERROR and KEEPALIVE.
import {
  Capability,
  CtaphidCommand,
  INIT_DATA_SIZE,
  commandName,
  errorName,
  formatCid,
  keepaliveStatusName,
} from '../../emulator/ctaphid/constants.ts';
import { normalizeReport, parsePacket } from '../../emulator/ctaphid/framing.ts';
import { parseInitResponse } from '../../emulator/ctaphid/init-response.ts';
import { field, segment, type DecodedEntry, type DecodedField } from './decoded-entry.ts';

/** Bytes still expected in the continuation packets of the message a stream is sending. */
export type PendingBytes = Map<string, number>;

/**
 * Decode `report`; `pending` carries, per CID and direction, how much of a message is still to
 * come, so a continuation packet's data can be told from its zero padding.
 */
export function decodeHidReport(report: Uint8Array, direction: string, pending: PendingBytes): DecodedEntry {
  const normalized = normalizeReport(report);
  if (!normalized) return { message: 'oversized report', fields: [], segments: [segment('data', report)], problem: `${report.length} bytes, a HID report has 64` };
  const packet = parsePacket(normalized);
  const key = `${direction} ${packet.cid}`;
  const cid = field('CID', formatCid(packet.cid), false);
  const problem = report.length < normalized.length ? `${report.length} bytes, zero-padded to 64` : undefined;

  if (packet.type === 'continuation') {
    const used = Math.min(pending.get(key) ?? packet.data.length, packet.data.length);
    pending.set(key, Math.max(0, (pending.get(key) ?? 0) - used));
    return {
      message: 'CONT',
      fields: [cid, field('SEQ', packet.seq, false)],
      segments: [segment('CID', normalized.subarray(0, 4)), segment('SEQ', normalized.subarray(4, 5)), ...dataAndPadding(packet.data, used)],
      ...(problem ? { problem } : {}),
    };
  }
  const used = Math.min(packet.length, INIT_DATA_SIZE);
  pending.set(key, packet.length - used);
  const payload = packet.length <= INIT_DATA_SIZE ? packet.data.subarray(0, packet.length) : undefined;
  return {
    message: commandName(packet.command),
    fields: [cid, field('CMD', commandName(packet.command), true), field('BCNT', packet.length, false), ...(payload ? payloadFields(packet.command, direction, payload) : [])],
    segments: [
      segment('CID', normalized.subarray(0, 4)),
      segment('CMD', normalized.subarray(4, 5)),
      segment('BCNT', normalized.subarray(5, 7)),
      ...dataAndPadding(packet.data, used),
    ],
    ...(problem ? { problem } : {}),
  };
}

function dataAndPadding(data: Uint8Array, used: number) {
  return [segment('data', data.subarray(0, used)), segment('padding', data.subarray(used))].filter((each) => each.hex !== '');
}

function payloadFields(command: number, direction: string, payload: Uint8Array): DecodedField[] {
  switch (command) {
    case CtaphidCommand.INIT: {
      const response = direction === 'in' ? parseInitResponse(payload) : undefined;
      if (!response) return [field('nonce', Buffer.from(payload).toString('hex'), false)];
      const { major, minor, build } = response.deviceVersion;
      const flags = Object.entries(Capability).filter(([, bit]) => response.capabilities & bit).map(([name]) => name);
      return [
        field('new CID', formatCid(response.cid), false),
        field('protocol', response.protocolVersion, true),
        field('device version', `${major}.${minor}.${build}`, true),
        field('capabilities', flags.length > 0 ? flags.join(' ') : 'none', true),
      ];
    }
    case CtaphidCommand.ERROR:
      return payload.length > 0 ? [field('error', errorName(payload[0]), true)] : [];
    case CtaphidCommand.KEEPALIVE:
      return payload.length > 0 ? [field('status', keepaliveStatusName(payload[0]), false)] : [];
    case CtaphidCommand.LOCK:
      return payload.length > 0 ? [field('seconds', payload[0], true)] : [];
    default:
      return [];
  }
}
