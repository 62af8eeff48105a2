// The workshop's policy, checked through the API as the user it protects: before MFA the user
// may look at their own user and MFA devices, and nothing else on their own user (an explicit
// deny); with MFA the deny is gone. The MFA half uses SimulatePrincipalPolicy with the MFA
// context key, so the same scenario holds on the mock and on a real account.
import {
  ChangePasswordCommand,
  GetUserCommand,
  ListAccessKeysCommand,
  ListMFADevicesCommand,
  ListUsersCommand,
  SimulatePrincipalPolicyCommand,
  type EvaluationResult,
} from '@aws-sdk/client-iam';
import { defineScenario, type ScenarioContext } from '../../harness/runner/index.ts';
import type { IamAccess } from '../../harness/runner/iam-access.ts';
import { setUpWorkshop } from './support.ts';

const EXPLICIT_DENY = /with an explicit deny in an identity-based policy/;
const NO_ALLOW = /because no identity-based policy allows/;

export const beforeMfa = defineScenario({
  id: 'workshop.policy-before-mfa',
  title: 'Without MFA the user may GetUser and ListMFADevices on themselves; everything else on their own user is explicitly denied',
  tags: ['workshop', 'iam', 'policy'],
  requires: ['iam'],
  timeoutMs: 120_000,
  async run(context) {
    const { expect, step } = context;
    const iam = context.iam!;
    const user = await setUpWorkshop({ ...context, iam }, 'nomfa');
    const asUser = iam.client(user.keys);
    const me = await step('GetUser as the user', () => asUser.send(new GetUserCommand({})));
    expect.equal(me.User?.UserName, user.userName, 'GetUser answers for the caller');
    const devices = await step('ListMFADevices on themselves', () => asUser.send(new ListMFADevicesCommand({ UserName: user.userName })));
    expect.equal(devices.MFADevices ?? [], [], 'MFA devices before registration');
    const change = await step('ChangePassword is denied', () =>
      expect.awsError(asUser.send(new ChangePasswordCommand({ OldPassword: user.password, NewPassword: `${user.password}x1!` })), 'AccessDenied', 'ChangePassword without MFA'));
    expect.true(EXPLICIT_DENY.test(change.message), 'ChangePassword denial names the explicit deny', change.message);
    const keys = await step('ListAccessKeys on themselves is denied', () =>
      expect.awsError(asUser.send(new ListAccessKeysCommand({ UserName: user.userName })), 'AccessDenied', 'ListAccessKeys without MFA'));
    expect.true(EXPLICIT_DENY.test(keys.message), 'ListAccessKeys denial names the explicit deny', keys.message);
    const users = await step('ListUsers is denied: nothing allows it', () =>
      expect.awsError(asUser.send(new ListUsersCommand({})), 'AccessDenied', 'ListUsers'));
    expect.true(NO_ALLOW.test(users.message), 'ListUsers denial says no policy allows it', users.message);
  },
});

async function simulate({ step }: ScenarioContext, iam: IamAccess, userArn: string, mfa: 'true' | 'false'): Promise<Record<string, string>> {
  const { EvaluationResults = [] } = await step(`SimulatePrincipalPolicy with aws:MultiFactorAuthPresent=${mfa}`, () =>
    iam.client().send(
      new SimulatePrincipalPolicyCommand({
        PolicySourceArn: userArn,
        ActionNames: ['iam:ChangePassword', 'iam:GetUser', 'iam:ListMFADevices', 'iam:ListAccessKeys', 'iam:DeactivateMFADevice'],
        ResourceArns: [userArn],
        ContextEntries: [{ ContextKeyName: 'aws:MultiFactorAuthPresent', ContextKeyType: 'boolean', ContextKeyValues: [mfa] }],
      }),
    ),
  );
  return Object.fromEntries(EvaluationResults.map((result: EvaluationResult) => [result.EvalActionName!, result.EvalDecision!]));
}

export const withMfa = defineScenario({
  id: 'workshop.policy-with-mfa',
  title: 'With MFA the explicit deny is gone: ChangePassword and DeactivateMFADevice are allowed on their own user',
  tags: ['workshop', 'iam', 'policy'],
  requires: ['iam'],
  timeoutMs: 120_000,
  async run(context) {
    const { expect } = context;
    const iam = context.iam!;
    const user = await setUpWorkshop({ ...context, iam }, 'mfa');
    expect.equal(await simulate(context, iam, user.arn, 'false'), {
      'iam:ChangePassword': 'explicitDeny',
      'iam:GetUser': 'allowed',
      'iam:ListMFADevices': 'allowed',
      'iam:ListAccessKeys': 'explicitDeny',
      'iam:DeactivateMFADevice': 'explicitDeny',
    }, 'decisions without MFA');
    expect.equal(await simulate(context, iam, user.arn, 'true'), {
      'iam:ChangePassword': 'allowed',
      'iam:GetUser': 'allowed',
      'iam:ListMFADevices': 'allowed',
      'iam:ListAccessKeys': 'implicitDeny',
      'iam:DeactivateMFADevice': 'allowed',
    }, 'decisions with MFA');
  },
});

export const workshopPolicy = [beforeMfa, withMfa];
