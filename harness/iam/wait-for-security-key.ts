// Waiting for a person to register a security key in the AWS console (the only place AWS allows
// it): polls ListMFADevices for the user until a new `u2f` serial appears, showing progress, and
// gives up after the timeout with a message that says what was waited for and what was seen.
import { paginateListMFADevices, type IAMClient } from '@aws-sdk/client-iam';
import { awsError, describeAwsError } from './aws-error.ts';
import { systemClock, type Clock } from './clock.ts';
import { silentProgress, type Progress } from './progress.ts';

/** Security key serials: arn:aws:iam::ACCOUNT:u2f/user/USER/NAME-SUFFIX. */
const SECURITY_KEY_SERIAL = /^arn:aws[\w-]*:iam::\d{12}:u2f\//;

/** Answers that waiting longer cannot change. */
const HOPELESS = new Set(['AccessDenied', 'NoSuchEntity', 'InvalidClientTokenId', 'ExpiredToken']);

export interface WaitForSecurityKeyOptions {
  /** A client allowed iam:ListMFADevices on the user (the admin's). */
  iam: IAMClient;
  userName: string;
  timeoutMs?: number;
  /** Between two ListMFADevices calls. */
  intervalMs?: number;
  clock?: Clock;
  progress?: Progress;
  /** Stops the wait (the scenario timed out); the promise rejects with the signal's reason. */
  signal?: AbortSignal;
}

export type SecurityKeyWait =
  | { status: 'registered'; serialNumber: string; elapsedMs: number; polls: number }
  | { status: 'timed-out' | 'failed'; message: string; elapsedMs: number; polls: number };

const minutes = (ms: number): string => {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
};

export async function waitForSecurityKey({
  iam,
  userName,
  timeoutMs = 10 * 60_000,
  intervalMs = 3_000,
  clock = systemClock,
  progress = silentProgress,
  signal,
}: WaitForSecurityKeyOptions): Promise<SecurityKeyWait> {
  const started = clock.now();
  const elapsed = (): number => clock.now() - started;
  const securityKeys = async (): Promise<string[]> => {
    const serials: string[] = [];
    for await (const page of paginateListMFADevices({ client: iam }, { UserName: userName })) {
      serials.push(...(page.MFADevices ?? []).map((device) => device.SerialNumber!).filter((serial) => SECURITY_KEY_SERIAL.test(serial)));
    }
    return serials;
  };

  let polls = 0;
  let known: Set<string> | undefined;
  let lastProblem = 'no security key listed yet';
  for (;;) {
    signal?.throwIfAborted();
    polls++;
    try {
      const serials = await securityKeys();
      // Keys the user had before the wait began do not count: the wait is for a new one.
      known ??= new Set(serials);
      const added = serials.find((serial) => !known!.has(serial));
      if (added) {
        progress.done(`security key registered for ${userName}: ${added}`);
        return { status: 'registered', serialNumber: added, elapsedMs: elapsed(), polls };
      }
      lastProblem = known.size > 0 ? `no new key yet, ${known.size} from before the wait` : 'no security key listed yet';
    } catch (error) {
      lastProblem = `ListMFADevices failed: ${describeAwsError(error)}`;
      if (HOPELESS.has(awsError(error).code)) {
        progress.done(`cannot wait for ${userName}'s security key: ${lastProblem}`);
        return { status: 'failed', message: `cannot see ${userName}'s MFA devices: ${lastProblem}`, elapsedMs: elapsed(), polls };
      }
    }
    const left = timeoutMs - elapsed();
    if (left <= 0) {
      const message =
        `no new security key for IAM user ${userName} after ${minutes(timeoutMs)} min ` +
        `(${polls} ListMFADevices calls; ${lastProblem}). Register the key in the console as the steps say, then run again; ` +
        'keys take effect at once, so a key that never shows up was registered for another user or not finished.';
      progress.done(`gave up waiting for ${userName}'s security key`);
      return { status: 'timed-out', message, elapsedMs: elapsed(), polls };
    }
    progress.update(`waiting for a security key on ${userName} (${lastProblem}), ${minutes(left)} left`);
    await clock.sleep(Math.min(intervalMs, left), signal);
  }
}
