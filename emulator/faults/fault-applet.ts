// Fault injection between CTAPHID and the token: a CtaphidApplet that forwards each APDU and
// rewrites the answer as the profile's fault rules say. Separate from the token on purpose, so
// the token itself stays correct and the faults are visible in one place.
import type { CtaphidApplet } from '../ctaphid/applet.ts';
import type { FaultRule } from './fault-rules.ts';

const INSTRUCTION_CODES: Record<string, number> = { REGISTER: 0x01, AUTHENTICATE: 0x02, VERSION: 0x03 };
const NO_ERROR = 0x9000;

export function withFaults(applet: CtaphidApplet, rules: readonly FaultRule[]): CtaphidApplet {
  if (rules.length === 0) return applet;
  return {
    wink: applet.wink?.bind(applet),
    async process(request) {
      let response = await applet.process(request);
      const ins = request.length > 1 ? request[1] : -1;
      for (const rule of rules) {
        if (rule.instruction !== '*' && INSTRUCTION_CODES[rule.instruction] !== ins) continue;
        if (rule.delayMs) await new Promise((resolve) => setTimeout(resolve, rule.delayMs));
        if (rule.response) response = rule.response.slice();
        if (rule.statusWord !== undefined) response = Uint8Array.of(rule.statusWord >> 8, rule.statusWord & 0xff);
        if (!succeeded(response)) continue;
        // The DER signature ends the data: flipping its last byte keeps the DER valid and the signature wrong.
        if (rule.corruptSignature && response.length > 3) {
          response = response.slice();
          response[response.length - 3] ^= 0x01;
        }
      }
      return response;
    },
  };
}

function succeeded(response: Uint8Array): boolean {
  return response.length >= 2 && ((response[response.length - 2] << 8) | response[response.length - 1]) === NO_ERROR;
}
