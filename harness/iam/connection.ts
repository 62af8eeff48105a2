// An IAM endpoint as the AWS SDK reaches it: the client settings for the admin (the target's own
// credentials) or for a test user's keys, who the admin is there (STS GetCallerIdentity), and the
// URL the SDK sends IAM requests to. Both targets go through here: `aws` with the SDK's default
// credential chain and endpoint resolution (AWS_ENDPOINT_URL_IAM and friends included), `mock`
// with the mock's URL and root keys given explicitly.
import { GetAccountSummaryCommand, IAMClient } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentials, IamClientConfig, IamDescription } from '../targets/iam-target.ts';

export interface IamConnection {
  readonly description: IamDescription;
  /** Settings for IAM and STS clients: the admin's, or the same with the given keys. */
  clientConfig(credentials?: AwsCredentials): IamClientConfig;
}

export interface ConnectIamOptions {
  /** The `--iam` value naming the endpoint, e.g. `aws:lab`. */
  target: string;
  kind: IamDescription['kind'];
  /** The admin's client settings; `region` is the one IAM requests are signed for. */
  admin: IamClientConfig & { region: string };
}

/** Asks STS who the admin is, and the SDK where IAM requests would go. */
export async function connectIam({ target, kind, admin }: ConnectIamOptions): Promise<IamConnection> {
  const sts = new STSClient(admin);
  const iam = new IAMClient(admin);
  try {
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    return {
      description: { target, kind, endpoint: await iamEndpoint(iam), accountId: identity.Account!, region: admin.region, principalArn: identity.Arn! },
      clientConfig: (credentials) => (credentials ? { ...admin, credentials } : admin),
    };
  } finally {
    sts.destroy();
    iam.destroy();
  }
}

interface BuiltRequest {
  protocol: string;
  hostname: string;
  port?: number;
  path: string;
}

/**
 * The URL of the SDK's IAM requests, found by building one and stopping it before it is signed
 * and sent: so it is whatever the SDK itself resolves (explicit endpoint, environment, shared
 * config, or the AWS default), with nothing reimplemented here.
 */
async function iamEndpoint(iam: IAMClient): Promise<string> {
  let url = '';
  const command = new GetAccountSummaryCommand({});
  command.middlewareStack.add(
    () => async (args) => {
      const { protocol, hostname, port, path } = args.request as BuiltRequest;
      url = `${protocol}//${hostname}${port ? `:${port}` : ''}${path === '/' ? '' : path}`;
      return { output: { $metadata: {} }, response: undefined };
    },
    { step: 'build', priority: 'low', name: 'keyloopEndpointProbe' },
  );
  await iam.send(command);
  return url;
}
