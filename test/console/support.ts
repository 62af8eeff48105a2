// Shared by the console suites: the mock IAM with the console mounted (ephemeral port, optional
// test clock), the workshop's people made with the AWS SDK as an administrator would (an admin
// IAM user with AdministratorAccess, the workshop user alice, both with console passwords), and
// emulator tokens with WebAuthn clients for the console's origin.
import { AttachUserPolicyCommand, CreateLoginProfileCommand, CreatePolicyCommand, CreateUserCommand, type IAMClient } from '@aws-sdk/client-iam';
import { mountConsole, type ConsoleOptions, type MountedConsole } from '../../emulator/console/index.ts';
import type { IamServer, IamServerOptions } from '../../emulator/iam/index.ts';
import { ConsoleClient, type CredentialsApi } from '../../harness/browser/index.ts';
import { fixture, iamClient, startTestServer } from '../iam/support.ts';

export const ACCOUNT = '123456789012';
export const ADMIN = { userName: 'admin', password: 'Admin-Passw0rd!' };
export const ALICE = { userName: 'alice', password: 'Alice-Passw0rd!' };
export const WORKSHOP_POLICY = fixture('workshop-mfa.json');

export interface ConsoleEnv {
  server: IamServer;
  console: MountedConsole;
  /** The root user's SDK client, to set up and to check what the console did. */
  root: IAMClient;
  /** A ConsoleClient on this console (a fresh cookie jar each call). */
  client(credentials?: CredentialsApi): ConsoleClient;
  close(): Promise<void>;
}

export interface StartConsoleOptions {
  iam?: IamServerOptions;
  console?: ConsoleOptions;
}

export async function startConsole({ iam = {}, console: consoleOptions = {} }: StartConsoleOptions = {}): Promise<ConsoleEnv> {
  const server = await startTestServer(iam);
  const mounted = mountConsole(server, { logger: { info: () => {}, error: (message, error) => console.error(message, error) }, ...consoleOptions });
  // The client reaches the server where it listens; pages and WebAuthn use the console's origin.
  const baseUrl = `http://localhost:${server.port}/console`;
  return {
    server,
    console: mounted,
    root: iamClient(server),
    client: (credentials) => new ConsoleClient({ baseUrl, origin: mounted.origin, credentials }),
    close: () => server.close(),
  };
}

export async function createConsoleUser(root: IAMClient, { userName, password }: { userName: string; password: string }): Promise<void> {
  await root.send(new CreateUserCommand({ UserName: userName }));
  await root.send(new CreateLoginProfileCommand({ UserName: userName, Password: password, PasswordResetRequired: false }));
}

/** The workshop's cast: `admin` (AdministratorAccess) and `alice` (nothing attached yet). */
export async function createWorkshopUsers(root: IAMClient): Promise<void> {
  await createConsoleUser(root, ADMIN);
  await root.send(new AttachUserPolicyCommand({ UserName: ADMIN.userName, PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }));
  await createConsoleUser(root, ALICE);
}

/** The workshop policy (as MFAHardDevice) and IAMUserChangePassword on each user, via the SDK. */
export async function attachWorkshopPolicies(root: IAMClient, userNames: readonly string[]): Promise<void> {
  const created = await root.send(new CreatePolicyCommand({ PolicyName: 'MFAHardDevice', PolicyDocument: WORKSHOP_POLICY }));
  for (const userName of userNames) {
    await root.send(new AttachUserPolicyCommand({ UserName: userName, PolicyArn: created.Policy!.Arn! }));
    await root.send(new AttachUserPolicyCommand({ UserName: userName, PolicyArn: 'arn:aws:iam::aws:policy/IAMUserChangePassword' }));
  }
}

export { openTestToken, type TestToken } from '../support/emulator-token.ts';

/** Sign in over HTTP and expect no MFA step (the admin, or a user before MFA). */
export async function signedInClient(env: ConsoleEnv, who: { userName: string; password: string }, credentials?: CredentialsApi): Promise<ConsoleClient> {
  const client = env.client(credentials);
  const result = await client.signIn({ account: ACCOUNT, ...who });
  if (!result.ok || result.value.step !== 'signed-in') throw new Error(`${who.userName} could not sign in: ${JSON.stringify(result)}`);
  return client;
}
