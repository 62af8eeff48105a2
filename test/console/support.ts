// Shared by the console suites: the mock IAM with the console mounted (ephemeral port, optional
// test clock), the workshop's people made with the AWS SDK as an administrator would (an admin
// IAM user with AdministratorAccess, the workshop user alice, both with console passwords), and
// emulator tokens with WebAuthn clients for the console's origin.
import { AttachUserPolicyCommand, CreateLoginProfileCommand, CreatePolicyCommand, CreateUserCommand, type IAMClient } from '@aws-sdk/client-iam';
import { mountConsole, type ConsoleOptions, type MountedConsole } from '../../emulator/console/index.ts';
import type { IamServer, IamServerOptions } from '../../emulator/iam/index.ts';
import { ConsoleClient, type CredentialsApi } from '../../harness/browser/index.ts';
import { alertOf, csrfTokenOf } from '../../harness/browser/console-html.ts';
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

export interface RawRequest {
  method?: string;
  cookie?: string;
  /** Sent urlencoded, as a page's form. */
  form?: Record<string, string>;
  /** Sent as JSON, as the page script does. */
  json?: unknown;
  headers?: Record<string, string>;
}

/** One console request with nothing done for the caller (cookies, tokens, origin), for what ConsoleClient does right on purpose. */
export async function rawConsoleRequest(env: ConsoleEnv, path: string, { method = 'GET', cookie, form, json, headers = {} }: RawRequest = {}) {
  const type = form ? 'application/x-www-form-urlencoded' : json !== undefined ? 'application/json' : undefined;
  const response = await fetch(`http://localhost:${env.server.port}/console/${path}`, {
    method,
    redirect: 'manual',
    headers: { ...(cookie ? { cookie } : {}), ...(type ? { 'content-type': type } : {}), ...headers },
    body: form ? new URLSearchParams(form).toString() : json !== undefined ? JSON.stringify(json) : undefined,
  });
  const setCookie = response.headers.get('set-cookie') ?? undefined;
  const text = await response.text();
  const code = type === 'application/json' || path.startsWith('api/') ? jsonCode(text) : alertOf(text)?.code;
  return { status: response.status, location: response.headers.get('location'), setCookie, cookie: setCookie?.split(';')[0], text, headers: response.headers, csrf: csrfTokenOf(text), code };
}

function jsonCode(text: string): string | undefined {
  try {
    return (JSON.parse(text) as { code?: string }).code;
  } catch {
    return undefined;
  }
}
