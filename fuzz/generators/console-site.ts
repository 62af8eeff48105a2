// The mock IAM with the console mounted in this process on 127.0.0.1 port 0, as the console
// fuzz targets share it: console users made through the Query API as an administrator would,
// the console's internal failures collected (a 5xx finding names its cause), one keep-alive
// connection to send inputs on, and a watch on the IAM state that tells whether an input changed it.
import { AttachUserPolicyCommand, CreatePolicyCommand, CreateVirtualMFADeviceCommand, EnableMFADeviceCommand, type IAMClient } from '@aws-sdk/client-iam';
import { totpCode, totpStep } from '../../emulator/iam/index.ts';
import type { IamStore } from '../../emulator/iam/index.ts';
import { ACCOUNT, createConsoleUser, startConsole, type ConsoleEnv } from '../../test/console/support.ts';
import { ConsoleHttp } from './console-http.ts';
import type { PasswordSignIn } from './console-sessions.ts';
import { snapshotStore } from './iam-store-snapshot.ts';

export interface FuzzConsole {
  env: ConsoleEnv;
  http: ConsoleHttp;
  /** The console's origin, which posts must name in their Origin header. */
  origin: string;
  /** What the console logged as internal failures since the last `takeFailures()`. */
  takeFailures(): string[];
  close(): Promise<void>;
}

const HOUR_MS = 60 * 60 * 1000;

export async function startFuzzConsole(): Promise<FuzzConsole> {
  const failures: string[] = [];
  const env = await startConsole({
    console: {
      // Sessions outlive any run, so a session a target holds ends only by what an input does.
      signInTtlMs: HOUR_MS,
      sessionTtlMs: HOUR_MS,
      logger: { info: () => {}, error: (message, error) => void failures.push(`${message}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`) },
    },
  });
  const http = new ConsoleHttp({ port: env.server.port });
  return {
    env,
    http,
    origin: env.console.origin,
    takeFailures: () => failures.splice(0),
    async close() {
      http.close();
      await env.close();
    },
  };
}

export const signInAs = (who: { userName: string; password: string }): PasswordSignIn => ({ account: ACCOUNT, ...who });

/** A console user with a customer managed policy of its own. */
export async function createScopedUser(root: IAMClient, who: { userName: string; password: string }, document: object): Promise<void> {
  await createConsoleUser(root, who);
  const policy = await root.send(new CreatePolicyCommand({ PolicyName: `${who.userName}-scope`, PolicyDocument: JSON.stringify(document) }));
  await root.send(new AttachUserPolicyCommand({ UserName: who.userName, PolicyArn: policy.Policy!.Arn! }));
}

export interface AuthenticatorApp {
  serialNumber: string;
  seedBase32: string;
}

/** An authenticator app assigned to `userName` as an administrator would (two consecutive codes). */
export async function assignAuthenticatorApp(root: IAMClient, userName: string, deviceName: string): Promise<AuthenticatorApp> {
  const created = await root.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: deviceName }));
  const serialNumber = created.VirtualMFADevice!.SerialNumber!;
  const seedBase32 = Buffer.from(created.VirtualMFADevice!.Base32StringSeed!).toString('utf8');
  const step = totpStep(Date.now());
  await root.send(
    new EnableMFADeviceCommand({ UserName: userName, SerialNumber: serialNumber, AuthenticationCode1: totpCode(seedBase32, step - 1), AuthenticationCode2: totpCode(seedBase32, step) }),
  );
  return { serialNumber, seedBase32 };
}

/** The IAM state as a comparable string, with the security keys' signature counters, which the console keeps too. */
function snapshot(store: IamStore): string {
  const counters = store.users.list().map((user) => store.mfa.listSecurityKeys(user.userName).map((key) => [key.serialNumber, key.counter]));
  return `${snapshotStore(store, [])}\n${JSON.stringify(counters)}`;
}

/**
 * Tells whether an input changed IAM state. The store's generation moves with every write, so
 * an unmoved generation means no change at no cost; after a write the snapshots are compared, as
 * a write may have been undone (a rolled-back form post) and left the state as it was.
 */
export class IamStateWatch {
  readonly #store: IamStore;
  #generation = '';
  #snapshot = '';

  constructor(store: IamStore) {
    this.#store = store;
  }

  /** Call before an input. */
  mark(): void {
    const generation = this.#store.generation();
    if (generation === this.#generation) return;
    this.#generation = generation;
    this.#snapshot = snapshot(this.#store);
  }

  /** Since mark(): no write at all, writes that left the snapshot as it was, or a change. */
  since(): 'untouched' | 'restored' | 'changed' {
    if (this.#store.generation() === this.#generation) return 'untouched';
    return snapshot(this.#store) === this.#snapshot ? 'restored' : 'changed';
  }
}
