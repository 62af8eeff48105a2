// CTAPHID_PING round trips (CTAP 2.1 section 11.2.9.1.2) as a throughput measure of a transport.
import { CtaphidClient } from './client.ts';
import type { ReportTransport } from '../transports/report-transport.ts';

/** PING `payloadBytes` for `seconds` on a new channel; the transport stays open. */
export async function benchPing(transport: ReportTransport, seconds: number, payloadBytes = 57): Promise<{ roundTripsPerSec: number }> {
  const client = await CtaphidClient.open(transport);
  const payload = new Uint8Array(payloadBytes).map((_, i) => i);
  const start = performance.now();
  const end = start + seconds * 1000;
  let roundTrips = 0;
  while (performance.now() < end) {
    const echo = await client.ping(payload);
    if (echo.length !== payload.length) throw new Error(`PING echoed ${echo.length} bytes, sent ${payload.length}`);
    roundTrips++;
  }
  return { roundTripsPerSec: roundTrips / ((performance.now() - start) / 1000) };
}
