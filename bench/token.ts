// Token figures: REGISTER and AUTHENTICATE straight into the token, against raw P-256 signing.
import { benchToken } from '../emulator/token/bench.ts';
import { compare, type BenchRow } from './table.ts';

export async function tokenRows(seconds: number): Promise<BenchRow[]> {
  const { registerPerSec, authenticatePerSec, rawSignPerSec } = await benchToken(seconds);
  const reference = 'raw @noble/curves P-256 sign';
  return [
    compare('U2F register, token.process', registerPerSec, 'ops/s', reference, rawSignPerSec),
    compare('U2F authenticate, token.process', authenticatePerSec, 'ops/s', reference, rawSignPerSec, { text: '>= 0.80', min: 0.8 }),
  ];
}
