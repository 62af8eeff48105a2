// The `aws` and `aws:PROFILE` IAM targets: a real account through the AWS SDK's default credential
// chain (environment, shared files with the profile, SSO, process, web identity, instance roles)
// and its endpoint resolution, which honours AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_IAM and
// AWS_ENDPOINT_URL_STS; tests point this very code at the mock that way. IAM is global, so
// requests are signed for us-east-1.
import { describeAwsError } from '../iam/aws-error.ts';
import { assembleIamTarget } from '../iam/assemble-iam-target.ts';
import { connectIam, type IamConnection } from '../iam/connection.ts';
import { checkRunId } from '../iam/ownership.ts';
import type { IamTarget } from './iam-target.ts';
import { TargetError } from './target-error.ts';

const IAM_REGION = 'us-east-1';

export interface AwsIamConnectOptions {
  /** A named profile of the shared config files; the default chain when omitted. */
  profile?: string;
}

export async function connectAwsIam({ profile }: AwsIamConnectOptions = {}): Promise<IamConnection> {
  const target = profile === undefined ? 'aws' : `aws:${profile}`;
  try {
    return await connectIam({ target, kind: 'aws', admin: { region: IAM_REGION, ...(profile !== undefined && { profile }) } });
  } catch (error) {
    throw new TargetError(`IAM target ${target}: STS GetCallerIdentity failed (check the credentials and AWS_ENDPOINT_URL*): ${describeAwsError(error)}`, { cause: error });
  }
}

export interface AwsIamTargetOptions extends AwsIamConnectOptions {
  runId: string;
}

export async function openAwsIamTarget({ runId, profile }: AwsIamTargetOptions): Promise<IamTarget> {
  checkRunId(runId);
  return assembleIamTarget({ connection: await connectAwsIam({ profile }), runId, capabilities: ['guided-console'] });
}
