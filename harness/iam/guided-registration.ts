// A console-only step, guided: AWS lets a user register a security key only in the console, so
// against a real account the harness prints the steps (after the workshop "Enable U2F security
// key via Console", updated to today's console wording) with the user's sign-in URL and password,
// opens the URL, and waits until ListMFADevices shows the key or the time is up.
import { systemClock } from './clock.ts';
import { openInBrowser } from './open-in-browser.ts';
import { createProgress } from './progress.ts';
import { waitForSecurityKey, type SecurityKeyWait, type WaitForSecurityKeyOptions } from './wait-for-security-key.ts';

/** The account's IAM user sign-in page. */
export const signInUrl = (accountId: string): string => `https://${accountId}.signin.aws.amazon.com/console`;

export interface SecurityKeyStepsInput {
  signInUrl: string;
  userName: string;
  password: string;
  /** The device name to type in the console. */
  deviceName: string;
}

export function securityKeySteps({ signInUrl, userName, password, deviceName }: SecurityKeyStepsInput): string[] {
  return [
    `Open ${signInUrl} (a private window keeps your own session out of it).`,
    `Sign in as IAM user ${userName} with password ${password}.`,
    'Open the account menu (upper right) and choose Security credentials (My Security Credentials).',
    'Under Multi-factor authentication (MFA), choose Assign MFA device.',
    `Name the device ${deviceName}, choose Security key (Passkey or security key), then Next.`,
    'Plug in the security key and touch it when it blinks; the console then lists it.',
  ];
}

export interface GuidedRegistrationOptions extends WaitForSecurityKeyOptions {
  accountId: string;
  password: string;
  /** The sign-in page: the account's AWS sign-in URL by default; give the mock's console URL for the mock. */
  signInUrl?: string;
  deviceName?: string;
  /** Where the steps go; stderr by default. */
  print?: (line: string) => void;
  /** Opens the sign-in URL; on a terminal the desktop's browser by default, `false` to only print it. */
  openUrl?: ((url: string) => void) | false;
}

export async function guideSecurityKeyRegistration({
  accountId,
  password,
  signInUrl: url = signInUrl(accountId),
  deviceName = 'keyloop',
  print = (line) => process.stderr.write(`${line}\n`),
  openUrl = process.stderr.isTTY ? openInBrowser : false,
  clock = systemClock,
  progress = createProgress({ clock }),
  ...wait
}: GuidedRegistrationOptions): Promise<SecurityKeyWait> {
  print(`Register a security key for IAM user ${wait.userName} in the AWS console (AWS allows it nowhere else):`);
  securityKeySteps({ signInUrl: url, userName: wait.userName, password, deviceName }).forEach((step, i) => print(`  ${i + 1}. ${step}`));
  if (openUrl) openUrl(url);
  return waitForSecurityKey({ ...wait, clock, progress });
}
