// Shared by the IAM target tests: a mock IAM server in this process, and the environment that
// points the `aws` target (the AWS SDK's default credential chain and endpoint resolution) at it,
// isolated from the machine's own ~/.aws and from instance metadata, so nothing leaves loopback.
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { ListPoliciesCommand, ListUsersCommand, IAMClient } from '@aws-sdk/client-iam';
import { startIamServer, type IamServer } from '../../emulator/iam/index.ts';
import { KEYLOOP_PATH, NAME_PREFIX } from '../../harness/iam/ownership.ts';

// The pinned SDK warns on every client that Node 22 will be needed in 2027; the tests know.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

export const startServer = (): Promise<IamServer> => startIamServer({ host: '127.0.0.1', port: 0 });

const NO_FILE = join(tmpdir(), 'keyloop-no-such-aws-file');

/** Variables that make the SDK's default chain find `server` and nothing else. */
export function awsEnvFor(server: IamServer, extra: Record<string, string> = {}): Record<string, string | undefined> {
  return {
    AWS_ENDPOINT_URL: undefined,
    AWS_ENDPOINT_URL_IAM: server.url,
    AWS_ENDPOINT_URL_STS: server.url,
    AWS_ACCESS_KEY_ID: server.rootCredentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: server.rootCredentials.secretAccessKey,
    AWS_SESSION_TOKEN: undefined,
    AWS_PROFILE: undefined,
    AWS_REGION: undefined,
    AWS_CONFIG_FILE: NO_FILE,
    AWS_SHARED_CREDENTIALS_FILE: NO_FILE,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: undefined,
    ...extra,
  };
}

/** Sets (or, for undefined, removes) variables of this process; returns the function that restores them. */
export function setEnv(vars: Record<string, string | undefined>): () => void {
  const saved = Object.fromEntries(Object.keys(vars).map((name) => [name, process.env[name]]));
  const apply = (values: Record<string, string | undefined>): void => {
    for (const [name, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  apply(vars);
  return () => apply(saved);
}

/** The environment for a child process: this one's, with `vars` applied. */
export function childEnv(vars: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const [name, value] of Object.entries(vars)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

export const rootClient = (server: IamServer): IAMClient =>
  new IAMClient({ endpoint: server.url, region: 'us-east-1', credentials: server.rootCredentials, maxAttempts: 1 });

/** Names of the users and policies under /keyloop/, read through the API. */
export async function keyloopEntities(server: IamServer): Promise<{ users: string[]; policies: string[] }> {
  const iam = rootClient(server);
  try {
    const users = ((await iam.send(new ListUsersCommand({}))).Users ?? []).filter((u) => u.UserName!.startsWith(NAME_PREFIX));
    const policies = (await iam.send(new ListPoliciesCommand({ Scope: 'Local', PathPrefix: KEYLOOP_PATH }))).Policies ?? [];
    return { users: users.map((u) => u.UserName!), policies: policies.map((p) => p.PolicyName!) };
  } finally {
    iam.destroy();
  }
}

/** The workshop's MFA self-service policy, enough to exercise versions and attachment. */
export const selfServicePolicy = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: ['iam:GetUser', 'iam:ListMFADevices'], Resource: 'arn:aws:iam::*:user/${aws:username}' }],
};

/** A security key as the console would store it, registered straight into the mock's store. */
export const addSecurityKey = (server: IamServer, userName: string, name = 'fidokey') =>
  server.store.mfa.addSecurityKey({ userName, name, credentialId: Buffer.from(`cred-${name}-${userName}`), publicKey: Buffer.from('pk'), counter: 0, attestationFormat: 'fido-u2f' });
