// U2F conformance: malformed APDUs get the status word a real key answers with
// (FIDO U2F Raw Message Formats v1.2 §3.3 and the ISO 7816-4 codes it uses).
import { randomBytes } from 'node:crypto';
import { StatusWord, U2fInstruction } from '../../emulator/token/index.ts';
import { defineScenario } from '../../harness/runner/index.ts';
import type { CommandApdu } from '../../harness/u2f/index.ts';
import { APP, freshChallenge, registerVerified } from './support.ts';

interface Case {
  name: string;
  apdu: CommandApdu | Uint8Array;
  sw: number;
}

function statusWordScenario(id: string, title: string, cases: (keyHandle: Uint8Array) => Case[], needsHandle = false) {
  return defineScenario({
    id,
    title,
    tags: ['u2f', 'malformed', 'negative'],
    async run({ token, expect, step }) {
      const u2f = await token.u2f();
      const keyHandle = needsHandle ? (await step('REGISTER', () => registerVerified(u2f, expect))).keyHandle : new Uint8Array(0);
      for (const { name, apdu, sw } of cases(keyHandle)) {
        const response = await step(name, () => u2f.send(apdu));
        expect.statusWord(response.sw, sw, name);
      }
    },
  });
}

const authData = (keyHandle: Uint8Array, declared = keyHandle.length) =>
  new Uint8Array([...freshChallenge(), ...APP, declared, ...keyHandle]);

export const badClass = statusWordScenario('u2f.bad-cla', 'A class byte other than 00 answers 6E00', () => [
  { name: 'VERSION with CLA 80', apdu: { cla: 0x80, ins: U2fInstruction.VERSION }, sw: StatusWord.CLA_NOT_SUPPORTED },
  { name: 'REGISTER with CLA 01', apdu: { cla: 0x01, ins: U2fInstruction.REGISTER, data: new Uint8Array(64) }, sw: StatusWord.CLA_NOT_SUPPORTED },
]);

export const badInstruction = statusWordScenario('u2f.bad-ins', 'An unknown instruction answers 6D00', () => [
  { name: 'INS 00', apdu: { ins: 0x00 }, sw: StatusWord.INS_NOT_SUPPORTED },
  { name: 'INS 04', apdu: { ins: 0x04 }, sw: StatusWord.INS_NOT_SUPPORTED },
  { name: 'INS C0', apdu: { ins: 0xc0 }, sw: StatusWord.INS_NOT_SUPPORTED },
]);

export const wrongLength = statusWordScenario('u2f.wrong-length', 'REGISTER and AUTHENTICATE with the wrong data length answer 6700', (keyHandle) => [
  { name: 'REGISTER with 63 bytes', apdu: { ins: U2fInstruction.REGISTER, p1: 0x03, data: new Uint8Array(63) }, sw: StatusWord.WRONG_LENGTH },
  { name: 'REGISTER with 65 bytes', apdu: { ins: U2fInstruction.REGISTER, p1: 0x03, data: new Uint8Array(65) }, sw: StatusWord.WRONG_LENGTH },
  { name: 'REGISTER with no data', apdu: { ins: U2fInstruction.REGISTER, p1: 0x03 }, sw: StatusWord.WRONG_LENGTH },
  { name: 'AUTHENTICATE with 64 bytes', apdu: { ins: U2fInstruction.AUTHENTICATE, p1: 0x03, data: new Uint8Array(64) }, sw: StatusWord.WRONG_LENGTH },
  { name: 'AUTHENTICATE whose L exceeds the data', apdu: { ins: U2fInstruction.AUTHENTICATE, p1: 0x03, data: authData(keyHandle.subarray(0, 10), keyHandle.length) }, sw: StatusWord.WRONG_LENGTH },
  { name: 'VERSION with data', apdu: { ins: U2fInstruction.VERSION, data: new Uint8Array(1) }, sw: StatusWord.WRONG_LENGTH },
], true);

export const badKeyHandles = statusWordScenario('u2f.bad-key-handles', 'Truncated, oversized and empty key handles answer 6A80', (keyHandle) => [
  { name: 'truncated handle', apdu: { ins: U2fInstruction.AUTHENTICATE, p1: 0x03, data: authData(keyHandle.subarray(0, keyHandle.length - 1)) }, sw: StatusWord.WRONG_DATA },
  { name: 'handle with a byte appended', apdu: { ins: U2fInstruction.AUTHENTICATE, p1: 0x03, data: authData(new Uint8Array([...keyHandle, 0])) }, sw: StatusWord.WRONG_DATA },
  { name: '255-byte random handle', apdu: { ins: U2fInstruction.AUTHENTICATE, p1: 0x03, data: authData(new Uint8Array(randomBytes(255))) }, sw: StatusWord.WRONG_DATA },
  { name: 'empty handle', apdu: { ins: U2fInstruction.AUTHENTICATE, p1: 0x03, data: authData(new Uint8Array(0)) }, sw: StatusWord.WRONG_DATA },
  { name: 'AUTHENTICATE with P1 05', apdu: { ins: U2fInstruction.AUTHENTICATE, p1: 0x05, data: authData(keyHandle) }, sw: StatusWord.WRONG_DATA },
], true);

export const shortEncoding = defineScenario({
  id: 'u2f.short-apdu',
  title: 'Short-form APDUs (ISO 7816-4 short Lc/Le) are accepted like the extended form',
  tags: ['u2f', 'encoding'],
  async run({ token, expect, step }) {
    const u2f = await token.u2f();
    const version = await step('VERSION short form', () => u2f.send(new Uint8Array([0x00, U2fInstruction.VERSION, 0x00, 0x00, 0x00])));
    expect.statusWord(version.sw, StatusWord.NO_ERROR, 'short VERSION');
    expect.equal(new TextDecoder().decode(version.data), 'U2F_V2', 'short VERSION answer');
    const register = new Uint8Array([0x00, U2fInstruction.REGISTER, 0x03, 0x00, 64, ...freshChallenge(), ...APP, 0x00]);
    const response = await step('REGISTER short form', () => u2f.send(register));
    expect.statusWord(response.sw, StatusWord.NO_ERROR, 'short REGISTER');
  },
});

export const malformed = [badClass, badInstruction, wrongLength, badKeyHandles, shortEncoding];
