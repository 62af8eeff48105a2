// Micro benchmark of the token: REGISTER and AUTHENTICATE through process() on an in-memory
// token with the noble signer, against raw @noble/curves P-256 signing of a same-sized message.
// Raw signing and AUTHENTICATE run in alternating slices so CPU frequency drift hits both alike.
import { p256 } from '@noble/curves/nist.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { loadProfile } from './profile.ts';
import { U2fToken } from './token.ts';

export interface TokenBenchResult {
  registerPerSec: number;
  authenticatePerSec: number;
  rawSignPerSec: number;
}

const SLICE_MS = 100;

/** Runs for about `seconds` in total: a third on REGISTER, two thirds on AUTHENTICATE vs raw signing. */
export async function benchToken(seconds: number): Promise<TokenBenchResult> {
  const token = await U2fToken.open({ profile: await loadProfile(), signer: 'noble', deviceSecret: new Uint8Array(32).fill(1) });
  try {
    const app = sha256(new TextEncoder().encode('https://bench.example'));
    const register = extendedApdu(0x01, 0x03, new Uint8Array(64));
    register.set(app, 7 + 32);
    const registration = await token.process(register);
    const handleLength = registration[66]!;
    const authenticate = extendedApdu(0x02, 0x03, new Uint8Array(65 + handleLength));
    authenticate.set(app, 7 + 32);
    authenticate[7 + 64] = handleLength;
    authenticate.set(registration.subarray(67, 67 + handleLength), 7 + 65);

    // Vary the challenge so nothing can be served from a cache.
    let n = 0;
    const registerOnce = async () => {
      register[7] = n++ & 0xff;
      await token.process(register);
    };
    const authenticateOnce = async () => {
      authenticate[7] = n++ & 0xff;
      await token.process(authenticate);
    };
    const secretKey = p256.utils.randomSecretKey();
    const message = new Uint8Array(69); // app || UP || counter || challenge, as AUTHENTICATE signs
    const signOnce = async () => {
      message[0] = n++ & 0xff;
      p256.sign(message, secretKey, { format: 'der' });
    };

    const budget = seconds * 1000;
    await Promise.all([run(registerOnce, 50), run(authenticateOnce, 50), run(signOnce, 50)]); // warm up the JIT
    const registerStats = await run(registerOnce, budget / 3);
    const raw = { count: 0, ms: 0 };
    const auth = { count: 0, ms: 0 };
    for (let spent = 0; spent < (2 * budget) / 3; spent += 2 * SLICE_MS) {
      add(raw, await run(signOnce, SLICE_MS));
      add(auth, await run(authenticateOnce, SLICE_MS));
    }
    return {
      registerPerSec: rate(registerStats),
      authenticatePerSec: rate(auth),
      rawSignPerSec: rate(raw),
    };
  } finally {
    await token.close();
  }
}

interface Stats {
  count: number;
  ms: number;
}

async function run(operation: () => Promise<void>, ms: number): Promise<Stats> {
  const start = performance.now();
  let count = 0;
  let now = start;
  while (now - start < ms) {
    await operation();
    count++;
    now = performance.now();
  }
  return { count, ms: now - start };
}

function add(total: Stats, slice: Stats): void {
  total.count += slice.count;
  total.ms += slice.ms;
}

const rate = ({ count, ms }: Stats): number => Math.round((count * 1000) / ms);

function extendedApdu(ins: number, p1: number, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(7 + data.length);
  out.set([0, ins, p1, 0, 0, data.length >> 8, data.length & 0xff]);
  out.set(data, 7);
  return out;
}
