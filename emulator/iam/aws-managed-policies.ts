// The AWS managed policies the mock knows, as the AWS Managed Policy Reference Guide publishes
// them (default version, dates and document). They live in the `aws` account and cannot change.

export interface AwsManagedPolicy {
  name: string;
  description: string;
  versionId: string;
  createDate: string;
  updateDate: string;
  document: string;
}

const doc = (statements: unknown[]): string => JSON.stringify({ Version: '2012-10-17', Statement: statements }, null, 2);

export const AWS_MANAGED_POLICIES: readonly AwsManagedPolicy[] = [
  {
    name: 'AdministratorAccess',
    description: 'Provides full access to AWS services and resources.',
    versionId: 'v1',
    createDate: '2015-02-06T18:39:46Z',
    updateDate: '2015-02-06T18:39:46Z',
    document: doc([{ Effect: 'Allow', Action: '*', Resource: '*' }]),
  },
  {
    name: 'IAMReadOnlyAccess',
    description: 'Provides read only access to IAM via the AWS Management Console.',
    versionId: 'v4',
    createDate: '2015-02-06T18:40:00Z',
    updateDate: '2018-01-25T19:11:00Z',
    document: doc([
      {
        Effect: 'Allow',
        Action: [
          'iam:GenerateCredentialReport',
          'iam:GenerateServiceLastAccessedDetails',
          'iam:Get*',
          'iam:List*',
          'iam:SimulateCustomPolicy',
          'iam:SimulatePrincipalPolicy',
        ],
        Resource: '*',
      },
    ]),
  },
  {
    name: 'IAMUserChangePassword',
    description: 'Provides the ability for an IAM user to change their own password.',
    versionId: 'v3',
    createDate: '2016-11-15T00:25:00Z',
    updateDate: '2025-05-29T21:52:00Z',
    document: doc([
      {
        Effect: 'Allow',
        Action: ['iam:ChangePassword'],
        Resource: ['arn:aws:iam::*:user/${aws:username}', 'arn:aws:iam::*:user/*/${aws:username}'],
      },
      { Effect: 'Allow', Action: ['iam:GetAccountPasswordPolicy'], Resource: '*' },
    ]),
  },
];
