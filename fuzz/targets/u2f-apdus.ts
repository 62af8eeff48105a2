// U2F raw-message APDUs straight into the token (emulator/token): every answer must be the one the
// spec owes (fuzz/generators/u2f-answers.ts), signatures must verify with node:crypto, and the
// counter may move only on a successful AUTHENTICATE.
import fc from 'fast-check';
import { defineFuzzTarget } from '../fuzz-target.ts';
import { checkU2fAnswer } from '../generators/u2f-answers.ts';
import { encodeU2fApdu, u2fApdu } from '../generators/u2f-apdus.ts';
import { openKeyedToken } from '../generators/u2f-keys.ts';

const AUTO = { mode: 'auto' } as const;
const DENY = { mode: 'deny' } as const;

export default defineFuzzTarget({
  name: 'u2f-apdus',
  surface: 'U2F REGISTER/AUTHENTICATE/VERSION APDUs, short and extended, mutated, into U2fToken.process',
  input: fc.record({ apdu: u2fApdu, presence: fc.oneof({ weight: 5, arbitrary: fc.constant(true) }, fc.constant(false)) }),
  setup: () => openKeyedToken(),
  async execute({ token, keys }, { apdu, presence }) {
    token.presence = presence ? AUTO : DENY;
    const request = encodeU2fApdu(apdu, keys);
    const before = token.counter;
    const response = await token.process(request);
    const { label, counter } = checkU2fAnswer({ request, response, keys, presence, counter: before });
    if (token.counter !== counter) throw new Error(`${label}: token counter ${before} -> ${token.counter}, expected ${counter}`);
    return label;
  },
  async teardown({ token }) {
    await token.close();
  },
});
