// FIDO U2F Raw Message Formats v1.2, "Registration Messages", "Authentication Messages" and
// "Other Messages": the instruction bytes (INS) and the AUTHENTICATE control byte (P1).
import { codeNames } from '../util/code-names.ts';

export const U2fInstruction = {
  REGISTER: 0x01,
  AUTHENTICATE: 0x02,
  VERSION: 0x03,
} as const;

export type U2fInstructionName = keyof typeof U2fInstruction;

/** P1 of AUTHENTICATE ("Authentication Request Message - U2F_AUTHENTICATE"). */
export const AuthenticateControl = {
  ENFORCE_USER_PRESENCE_AND_SIGN: 0x03,
  CHECK_ONLY: 0x07,
  DONT_ENFORCE_USER_PRESENCE_AND_SIGN: 0x08,
} as const;

export type AuthenticateControlValue = (typeof AuthenticateControl)[keyof typeof AuthenticateControl];

/** The constant's name for an instruction byte, or `INS_XX` for an unknown one. */
export const instructionName = codeNames(U2fInstruction, (ins) => `INS_${ins.toString(16).toUpperCase().padStart(2, '0')}`);

export function isAuthenticateControl(p1: number): p1 is AuthenticateControlValue {
  return Object.values(AuthenticateControl).includes(p1 as AuthenticateControlValue);
}
