// The workshop's IAM set-up, shared by its scenarios: the MFA policy exactly as the workshop
// shows it, a user with a console password and access keys, and IAMUserChangePassword beside it.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { GetUserCommand } from '@aws-sdk/client-iam';
import type { ScenarioContext } from '../../harness/runner/index.ts';
import type { IamAccess } from '../../harness/runner/iam-access.ts';
import type { CreatedAccessKey, CreatedUser } from '../../harness/iam/index.ts';

export const WORKSHOP_POLICY_PATH = fileURLToPath(new URL('../../fixtures/policies/workshop-mfa.json', import.meta.url));
export const CHANGE_PASSWORD_POLICY = 'arn:aws:iam::aws:policy/IAMUserChangePassword';

export interface WorkshopUser extends CreatedUser {
  password: string;
  keys: CreatedAccessKey;
  policyArn: string;
}

/**
 * Steps 3-6 of the workshop (the admin's part) plus the user the rest of it signs in as. `label`
 * keeps each scenario's names apart within a run (keyloop-<run>-<label>-MFAHardDevice).
 */
export async function setUpWorkshop({ iam, step }: ScenarioContext & { iam: IamAccess }, label: string): Promise<WorkshopUser> {
  const { resources } = iam.target;
  const document = await readFile(WORKSHOP_POLICY_PATH, 'utf8');
  const policy = await step('admin creates the MFAHardDevice policy from the workshop JSON', () => resources.createPolicy(`${label}-MFAHardDevice`, document));
  const user = await step('admin creates the user with a console password', () => resources.createUser(`${label}-user`, { password: true }));
  await step('admin attaches MFAHardDevice and IAMUserChangePassword', async () => {
    await resources.attachUserPolicy(user.userName, policy.arn);
    await resources.attachUserPolicy(user.userName, CHANGE_PASSWORD_POLICY);
  });
  const keys = await step('admin creates access keys for the user', () => resources.createAccessKey(user.userName));
  await step('the new keys work (IAM is eventually consistent on AWS)', () => untilKeysWork(iam, keys));
  return { ...user, password: user.password!, keys, policyArn: policy.arn };
}

/** New access keys can take seconds to reach every AWS endpoint; the mock has them at once. */
async function untilKeysWork(iam: IamAccess, keys: CreatedAccessKey, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const client = iam.client(keys);
  for (;;) {
    try {
      await client.send(new GetUserCommand({}));
      return;
    } catch (error) {
      if ((error as Error).name !== 'InvalidClientTokenId' || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 2_000));
    }
  }
}
