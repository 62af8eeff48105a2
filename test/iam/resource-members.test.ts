// Members that name the resource a request is authorized against (PolicyArn, SerialNumber,
// PolicySourceArn) get one answer whoever calls, when they name no resource of the action's type:
// the policy evaluator is never asked about a resource it cannot place. Found by the iam-query fuzz
// target: a read-only user's DeleteVirtualMFADevice of serial GAHT12345678 was an InvalidInput from
// the evaluator where the root user got NoSuchEntity, and a user allowed everything got InvalidInput.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DeleteVirtualMFADeviceCommand, GetPolicyCommand, SimulatePrincipalPolicyCommand, type IAMClient } from '@aws-sdk/client-iam';
import type { IamServer } from '../../emulator/iam/index.ts';
import { errorOf, iamClient, startTestServer } from './support.ts';

let server: IamServer;
let root: IAMClient;
let reader: IAMClient;
let admin: IAMClient;

function userClient(userName: string, policyArn: string): IAMClient {
  const { store } = server;
  const key = store.transaction(() => {
    store.users.create({ userName });
    store.policies.attach('user', userName, policyArn);
    return store.accessKeys.create(userName);
  });
  return iamClient(server, { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey });
}

test.before(async () => {
  server = await startTestServer();
  root = iamClient(server);
  reader = userClient('reader', 'arn:aws:iam::aws:policy/IAMReadOnlyAccess');
  admin = userClient('admin', 'arn:aws:iam::aws:policy/AdministratorAccess');
});

test.after(async () => {
  await server.close();
});

test('a serial that is no virtual device ARN: NoSuchEntity when allowed, AccessDenied when not', async () => {
  const command = new DeleteVirtualMFADeviceCommand({ SerialNumber: 'GAHT12345678' });
  assert.is((await errorOf(root.send(command))).code, 'NoSuchEntity');
  assert.is((await errorOf(admin.send(command))).code, 'NoSuchEntity');
  assert.is((await errorOf(reader.send(command))).code, 'AccessDenied');
});

test('a PolicyArn that is no policy ARN is InvalidInput for every caller', async () => {
  for (const arn of ['arn:aws:iam::123456789012:user/reader', 'not-an-arn-but-long-enough']) {
    for (const client of [root, admin, reader]) {
      const error = await errorOf(client.send(new GetPolicyCommand({ PolicyArn: arn })));
      assert.equal([error.code, error.status], ['InvalidInput', 400], arn);
    }
  }
});

test('a PolicySourceArn that is no user or group is InvalidInput for every caller', async () => {
  for (const client of [root, admin, reader]) {
    const error = await errorOf(client.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess', ActionNames: ['iam:GetUser'] })));
    assert.is(error.code, 'InvalidInput');
  }
});

test.run();
