// The workshop's key registration on a real account: AWS allows it only in the console, so the
// harness prints the workshop's steps with the user's sign-in URL and password, waits until
// ListMFADevices shows a security key, and then checks what the user may do. A person plugs in
// and touches the key; on the mock, workshop.console does the same steps by itself.
import { ListMFADevicesCommand } from '@aws-sdk/client-iam';
import { guideSecurityKeyRegistration } from '../../harness/iam/index.ts';
import { defineScenario } from '../../harness/runner/index.ts';
import { setUpWorkshop } from './support.ts';

export const guidedKey = defineScenario({
  id: 'workshop.guided-key',
  title: 'On a real account: the user assigns the security key in the AWS console, guided; ListMFADevices then shows it',
  tags: ['workshop', 'iam', 'console', 'manual'],
  requires: ['iam', 'guided-console'],
  timeoutMs: 11 * 60_000,
  async run(context) {
    const { expect, step, observe, signal } = context;
    const iam = context.iam!;
    const user = await setUpWorkshop({ ...context, iam }, 'guided');
    const wait = await step('the user assigns the key in the console (guided)', () =>
      guideSecurityKeyRegistration({
        iam: iam.client(),
        userName: user.userName,
        accountId: iam.target.description.accountId,
        password: user.password,
        deviceName: 'keyloop-key',
        timeoutMs: 10 * 60_000,
        signal,
      }),
    );
    if (wait.status !== 'registered') expect.equal(wait.status, 'registered', `security key registration: ${wait.message}`);
    else observe(`registered ${wait.serialNumber} after ${Math.round(wait.elapsedMs / 1000)} s`);
    const listed = await step('ListMFADevices as the user', () => iam.client(user.keys).send(new ListMFADevicesCommand({ UserName: user.userName })));
    const serials = listed.MFADevices?.map((device) => device.SerialNumber ?? '') ?? [];
    expect.true(serials.some((serial) => serial.includes(':u2f/user/')), 'a u2f security key is listed for the user', JSON.stringify(serials));
  },
});
