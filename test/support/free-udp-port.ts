// A UDP port nobody is bound to right now, for tests that need to name one up front (the Solo
// transport's fixed reply port) without clashing with other runs.
import { createSocket } from 'node:dgram';

export async function freeUdpPort(): Promise<number> {
  const probe = createSocket('udp4');
  await new Promise<void>((resolve) => probe.bind(0, '127.0.0.1', () => resolve()));
  const { port } = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
