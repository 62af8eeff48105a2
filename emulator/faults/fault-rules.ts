// Fault rules: how a device profile makes the virtual key misbehave on purpose, so that a
// suite can be shown to fail for the right reason. Parsed from the profile's `faults` array.

/** U2F instruction a rule applies to; '*' matches every APDU. */
export type FaultInstruction = 'REGISTER' | 'AUTHENTICATE' | 'VERSION' | '*';

export interface FaultRule {
  instruction: FaultInstruction;
  /** Replace the whole response APDU (data || SW) with these bytes. */
  response?: Uint8Array;
  /** Answer only this status word, no data. */
  statusWord?: number;
  /** Flip a bit in the response's trailing signature (REGISTER, AUTHENTICATE). */
  corruptSignature?: boolean;
  /** Hold the response this long first. */
  delayMs?: number;
}

const INSTRUCTIONS: readonly FaultInstruction[] = ['REGISTER', 'AUTHENTICATE', 'VERSION', '*'];
const FIELDS = new Set(['instruction', 'response', 'statusWord', 'corruptSignature', 'delayMs']);

/** Validate the profile's `faults` value; `fail` reports a field with what was expected. */
export function parseFaultRules(value: unknown, fail: (field: string, expected: string, got: unknown) => never): FaultRule[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) return fail('faults', 'an array of fault rules', value);
  return value.map((raw, index) => {
    const at = (field: string) => `faults[${index}].${field}`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return fail(`faults[${index}]`, 'an object', raw);
    const rule = raw as Record<string, unknown>;
    for (const key of Object.keys(rule)) if (!FIELDS.has(key)) fail(at(key), `absent (known: ${[...FIELDS].join(', ')})`, rule[key]);
    if (!INSTRUCTIONS.includes(rule.instruction as FaultInstruction)) fail(at('instruction'), INSTRUCTIONS.join(', '), rule.instruction);
    const hex = (field: string, bytes: number | undefined) => {
      const text = rule[field];
      if (typeof text !== 'string' || !/^([0-9a-f]{2})+$/i.test(text) || (bytes !== undefined && text.length !== bytes * 2)) {
        return fail(at(field), bytes ? `${bytes} bytes of hex` : 'hex bytes', text);
      }
      return Uint8Array.from(Buffer.from(text, 'hex'));
    };
    const flag = (field: string) => (rule[field] === undefined || typeof rule[field] === 'boolean' ? (rule[field] as boolean | undefined) : fail(at(field), 'true or false', rule[field]));
    const parsed: FaultRule = { instruction: rule.instruction as FaultInstruction };
    if (rule.response !== undefined) parsed.response = hex('response', undefined);
    if (rule.statusWord !== undefined) parsed.statusWord = (([hi, lo]) => (hi << 8) | lo)(hex('statusWord', 2));
    parsed.corruptSignature = flag('corruptSignature');
    if (rule.delayMs !== undefined) {
      if (!Number.isInteger(rule.delayMs) || (rule.delayMs as number) < 0 || (rule.delayMs as number) > 60_000) fail(at('delayMs'), 'an integer 0..60000', rule.delayMs);
      parsed.delayMs = rule.delayMs as number;
    }
    return parsed;
  });
}
