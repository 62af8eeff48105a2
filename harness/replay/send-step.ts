// Sends one recorded step to the target. When the recording got past 6985 (a touch came), the
// target is polled like a U2F client would (FIDO U2F Raw Message Formats v1.2 §5.1) until it
// answers something else or the presence timeout passes; a token with automatic presence answers
// at once. A step that ended in 6985 when recorded (check-only, presence denied) is sent once.
// Failures below the U2F layer (CTAPHID errors, timeouts, a closed link) become the answer.
import { CtaphidClientError, CtaphidProtocolError } from '../ctaphid/errors.ts';
import { TransportClosedError, TransportTimeoutError } from '../transports/report-transport.ts';
import { UsbipClientError } from '../transports/usbip-client.ts';
import type { ApduChannel } from '../u2f/client.ts';
import { isWaitingForTouch } from './collapse-retries.ts';
import type { Answer } from './describe-response.ts';
import type { ReplayedStep } from './scenario-comparison.ts';

export interface SendStepOptions {
  /** Resend while the target answers 6985: true when the recorded step ended in something else. */
  untilTouched: boolean;
  /** How long to keep resending before taking 6985 as the answer. */
  presenceTimeoutMs?: number;
  /** Pause between resends. */
  retryIntervalMs?: number;
  /** Called once when the target first asks for a touch (a prompt for a person at a physical key). */
  onTouchNeeded?: () => void;
}

const LINK_FAILURES = [CtaphidClientError, CtaphidProtocolError, TransportClosedError, TransportTimeoutError, UsbipClientError];

export async function sendStep(
  channel: ApduChannel,
  command: Uint8Array,
  { untilTouched, presenceTimeoutMs = 30_000, retryIntervalMs = 50, onTouchNeeded }: SendStepOptions,
): Promise<ReplayedStep> {
  const start = performance.now();
  const deadline = start + presenceTimeoutMs;
  for (let attempts = 1; ; attempts++) {
    const answer = await exchange(channel, command);
    const waiting = answer.kind === 'response' && isWaitingForTouch(answer.bytes);
    if (!untilTouched || !waiting || performance.now() >= deadline) {
      return { answer, attempts, durationMs: Math.round((performance.now() - start) * 1000) / 1000 };
    }
    if (attempts === 1) onTouchNeeded?.();
    await new Promise((resolve) => setTimeout(resolve, retryIntervalMs));
  }
}

async function exchange(channel: ApduChannel, command: Uint8Array): Promise<Answer> {
  try {
    return { kind: 'response', bytes: await channel.msg(command) };
  } catch (error) {
    if (!LINK_FAILURES.some((type) => error instanceof type)) throw error;
    return { kind: 'none', reason: `${(error as Error).name}: ${(error as Error).message}` };
  }
}
