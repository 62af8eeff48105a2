// What a recorded command APDU asks for, as far as comparing the answers needs: the parameters
// REGISTER and AUTHENTICATE signatures cover (FIDO U2F Raw Message Formats v1.2 §4.1, §5.1) and
// where the key handle sits. Malformed commands are `other`: only their status word is compared.
import {
  TokenError,
  U2fInstruction,
  instructionName,
  parseApdu,
  parseAuthenticateRequest,
  parseRegisterRequest,
} from '../../emulator/token/index.ts';

export type U2fRequest =
  | { kind: 'register'; challenge: Uint8Array; application: Uint8Array }
  | {
      kind: 'authenticate';
      /** P1: 03 enforce presence, 07 check only, 08 don't enforce. */
      control: number;
      challenge: Uint8Array;
      application: Uint8Array;
      keyHandle: Uint8Array;
      /** Offset of the key handle in the command APDU. */
      keyHandleOffset: number;
    }
  | { kind: 'version' }
  | { kind: 'other' };

/** Throws nothing for malformed input: a command the token must reject is `other`. */
export function readU2fRequest(command: Uint8Array): U2fRequest {
  try {
    return parseRequest(command);
  } catch (error) {
    if (error instanceof TokenError) return { kind: 'other' };
    throw error;
  }
}

function parseRequest(command: Uint8Array): U2fRequest {
  const apdu = parseApdu(command);
  if (apdu.cla !== 0) return { kind: 'other' };
  switch (apdu.ins) {
    case U2fInstruction.VERSION:
      return apdu.data.length === 0 ? { kind: 'version' } : { kind: 'other' };
    case U2fInstruction.REGISTER:
      return { kind: 'register', ...parseRegisterRequest(apdu.data) };
    case U2fInstruction.AUTHENTICATE: {
      const request = parseAuthenticateRequest(apdu.data);
      return { kind: 'authenticate', control: apdu.p1, keyHandleOffset: request.keyHandle.byteOffset - command.byteOffset, ...request };
    }
    default:
      return { kind: 'other' };
  }
}

/** `REGISTER`, `AUTHENTICATE P1 03`, `VERSION CLA 80`, `INS_C0`, for people. */
export function commandLabel(command: Uint8Array): string {
  if (command.length < 4) return `short APDU (${command.length} bytes)`;
  const [cla, ins, p1] = command;
  const parts = [instructionName(ins)];
  if (cla !== 0) parts.push(`CLA ${byteHex(cla)}`);
  if (ins === U2fInstruction.AUTHENTICATE) parts.push(`P1 ${byteHex(p1)}`);
  return parts.join(' ');
}

function byteHex(byte: number): string {
  return byte.toString(16).toUpperCase().padStart(2, '0');
}
