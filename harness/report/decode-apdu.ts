// Decodes U2F APDUs (FIDO U2F Raw Message Formats v1.2): a command into CLA/INS/P1/P2/Lc/data/Le,
// a response into its data and status word, and the data of VERSION, REGISTER (section 4.3) and
// AUTHENTICATE (section 5.4) responses into their fields.
import { parseApdu } from '../../emulator/token/apdu.ts';
import { U2fInstruction, instructionName } from '../../emulator/token/instructions.ts';
import { StatusWord, statusWordName } from '../../emulator/token/status-words.ts';
import { parseAuthenticateResponse, parseRegisterResponse } from '../u2f/responses.ts';
import { byteHex, field, segment, type DecodedEntry, type DecodedField, type HexSegment } from './decoded-entry.ts';

export function decodeCommandApdu(apdu: Uint8Array): DecodedEntry {
  if (apdu.length < 4) return { message: 'APDU', fields: [], segments: [segment('data', apdu)], problem: `${apdu.length} bytes, shorter than the 4-byte header` };
  const [cla, ins, p1, p2] = apdu;
  const header = [field('CLA', byteHex(cla), true), field('INS', instructionName(ins), true), field('P1', byteHex(p1), true), field('P2', byteHex(p2), true)];
  const headerSegments = ['CLA', 'INS', 'P1', 'P2'].map((name, at) => segment(name, apdu.subarray(at, at + 1)));
  let data: Uint8Array;
  try {
    data = parseApdu(apdu).data;
  } catch (error) {
    return { message: instructionName(ins), fields: header, segments: [...headerSegments, segment('data', apdu.subarray(4))], problem: (error as Error).message };
  }
  const dataStart = data.byteOffset - apdu.byteOffset;
  const body = data.length > 0
    ? [segment('Lc', apdu.subarray(4, dataStart)), segment('data', data), segment('Le', apdu.subarray(dataStart + data.length))]
    : [segment(apdu.length - 4 > 1 ? 'Lc/Le' : 'Le', apdu.subarray(4))];
  const segments = [...headerSegments, ...body].filter((each) => each.hex !== '');
  return { message: instructionName(ins), fields: [...header, field('Lc', data.length, false)], segments };
}

/** A response APDU; `request` is the instruction it answers, when the transcript showed it. */
export function decodeResponseApdu(apdu: Uint8Array, request: number | undefined): DecodedEntry {
  const message = request === undefined ? 'response' : `${instructionName(request)} response`;
  if (apdu.length < 2) return { message, fields: [], segments: [segment('data', apdu)], problem: `${apdu.length} bytes, shorter than a status word` };
  const end = apdu.length - 2;
  const sw = (apdu[end] << 8) | apdu[end + 1];
  const data = apdu.subarray(0, end);
  const status = field('SW', `${sw.toString(16).toUpperCase().padStart(4, '0')} ${statusWordName(sw)}`, true);
  const body = sw === StatusWord.NO_ERROR && request !== undefined ? decodeResponseData(request, data) : { fields: [], segments: [segment('data', data)] };
  return {
    message,
    fields: [status, field('data length', data.length, false), ...body.fields],
    segments: [...body.segments, segment('SW', apdu.subarray(end))].filter((each) => each.hex !== ''),
    ...(body.problem ? { problem: body.problem } : {}),
  };
}

interface DecodedData {
  fields: DecodedField[];
  segments: HexSegment[];
  problem?: string;
}

function decodeResponseData(request: number, data: Uint8Array): DecodedData {
  try {
    if (request === U2fInstruction.VERSION) {
      return { fields: [field('version', new TextDecoder().decode(data), true)], segments: [segment('version', data)] };
    }
    if (request === U2fInstruction.REGISTER) {
      const response = parseRegisterResponse(data);
      const certificateEnd = data.length - response.signature.length;
      return {
        fields: [
          field('reserved', byteHex(data[0]), true),
          field('key handle length', response.keyHandle.length, false),
          field('certificate length', response.attestationCertificate.length, false),
          field('signature length', response.signature.length, false),
        ],
        segments: [
          segment('reserved', data.subarray(0, 1)),
          segment('public key', response.userPublicKey),
          segment('L', data.subarray(66, 67)),
          segment('key handle', response.keyHandle),
          segment('certificate', data.subarray(certificateEnd - response.attestationCertificate.length, certificateEnd)),
          segment('signature', response.signature),
        ],
      };
    }
    if (request === U2fInstruction.AUTHENTICATE) {
      const response = parseAuthenticateResponse(data);
      return {
        fields: [field('user presence', response.userPresence ? 'yes' : 'no', true), field('counter', response.counter, false), field('signature length', response.signature.length, false)],
        segments: [segment('flags', data.subarray(0, 1)), segment('counter', data.subarray(1, 5)), segment('signature', response.signature)],
      };
    }
  } catch (error) {
    return { fields: [], segments: [segment('data', data)], problem: (error as Error).message };
  }
  return { fields: [], segments: [segment('data', data)] };
}
