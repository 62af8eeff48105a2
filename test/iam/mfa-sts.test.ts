// MFA devices and STS through the AWS SDK: virtual TOTP devices (seed, PNG, enable with two
// consecutive codes, resync, deactivate, delete), security keys as the console stores them
// (u2f serials, GetMFADevice, the eight-device quota), GetCallerIdentity and GetSessionToken with
// its MFA context, reuse and expiry rules.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  CreateVirtualMFADeviceCommand,
  DeactivateMFADeviceCommand,
  DeleteVirtualMFADeviceCommand,
  EnableMFADeviceCommand,
  GetMFADeviceCommand,
  GetUserCommand,
  ListMFADevicesCommand,
  ListVirtualMFADevicesCommand,
  IAMClient,
  ResyncMFADeviceCommand,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, GetSessionTokenCommand } from '@aws-sdk/client-sts';
import { totpCode, totpStep, type IamServer } from '../../emulator/iam/index.ts';
import { errorOf, iamClient, startTestServer, stsClient, testClock, type TestClock } from './support.ts';

let server: IamServer;
let clock: TestClock;
let iam: IAMClient;
let kim: { accessKeyId: string; secretAccessKey: string };
/** The 15-minute MFA session of the GetSessionToken test, to expire in the last test. */
let expiring: { accessKeyId: string; secretAccessKey: string; sessionToken: string };

/** Timestamps travel in whole seconds. */
const wholeSeconds = (ms: number): number => Math.floor(ms / 1000) * 1000;
const newDevice = async (name: string): Promise<{ serial: string; seed: string }> => {
  const { VirtualMFADevice } = await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: name }));
  return { serial: VirtualMFADevice!.SerialNumber!, seed: Buffer.from(VirtualMFADevice!.Base32StringSeed!).toString() };
};
const enable = (userName: string, { serial, seed }: { serial: string; seed: string }, step = totpStep(clock.now())) =>
  iam.send(new EnableMFADeviceCommand({ UserName: userName, SerialNumber: serial, AuthenticationCode1: totpCode(seed, step - 1), AuthenticationCode2: totpCode(seed, step) }));
const securityKey = (userName: string, name: string) =>
  server.store.mfa.addSecurityKey({ userName, name, credentialId: Buffer.from(`${userName}/${name}`), publicKey: Buffer.alloc(77, 1), counter: 0, attestationFormat: 'fido-u2f', certifications: { 'FIPS-140-2': 'L1' } });

test.before(async () => {
  clock = testClock();
  server = await startTestServer({ clock: clock.now });
  iam = iamClient(server);
  await iam.send(new CreateUserCommand({ UserName: 'kim' }));
  const key = await iam.send(new CreateAccessKeyCommand({ UserName: 'kim' }));
  kim = { accessKeyId: key.AccessKey!.AccessKeyId!, secretAccessKey: key.AccessKey!.SecretAccessKey! };
});

test.after(async () => {
  await server.close();
});

test('CreateVirtualMFADevice: an mfa/ serial, a 64-character base32 seed and a PNG', async () => {
  const { VirtualMFADevice } = await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'kim-phone', Path: '/kim/' }));
  assert.is(VirtualMFADevice!.SerialNumber, 'arn:aws:iam::123456789012:mfa/kim/kim-phone');
  assert.match(Buffer.from(VirtualMFADevice!.Base32StringSeed!).toString(), /^[A-Z2-7]{64}$/);
  assert.equal([...VirtualMFADevice!.QRCodePNG!.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  assert.is((await errorOf(iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'kim-phone', Path: '/kim/' })))).code, 'EntityAlreadyExists');
  const unassigned = await iam.send(new ListVirtualMFADevicesCommand({ AssignmentStatus: 'Unassigned' }));
  assert.equal(unassigned.VirtualMFADevices!.map((d) => d.SerialNumber), [VirtualMFADevice!.SerialNumber]);
  await iam.send(new DeleteVirtualMFADeviceCommand({ SerialNumber: VirtualMFADevice!.SerialNumber }));
});

test('EnableMFADevice: two consecutive current codes, once, for one user', async () => {
  const device = await newDevice('kim');
  const step = totpStep(clock.now());
  const swapped = await errorOf(iam.send(new EnableMFADeviceCommand({ UserName: 'kim', SerialNumber: device.serial, AuthenticationCode1: totpCode(device.seed, step), AuthenticationCode2: totpCode(device.seed, step - 1) })));
  assert.equal([swapped.code, swapped.status], ['InvalidAuthenticationCode', 403]);
  const old = await errorOf(enable('kim', device, step - 10));
  assert.is(old.code, 'InvalidAuthenticationCode');
  assert.is((await errorOf(iam.send(new EnableMFADeviceCommand({ UserName: 'kim', SerialNumber: device.serial, AuthenticationCode1: '12345', AuthenticationCode2: '123456' })))).code, 'ValidationError');
  await enable('kim', device);
  assert.is((await errorOf(enable('kim', device))).code, 'EntityAlreadyExists');
  const assigned = await iam.send(new ListVirtualMFADevicesCommand({ AssignmentStatus: 'Assigned' }));
  assert.equal(assigned.VirtualMFADevices!.map((d) => [d.SerialNumber, d.User!.UserName]), [[device.serial, 'kim']]);
  assert.is((await errorOf(iam.send(new DeleteVirtualMFADeviceCommand({ SerialNumber: device.serial })))).code, 'DeleteConflict');
});

test('GetSessionToken: a fresh code gives MFA credentials; a used or wrong code does not', async () => {
  const [{ serial }] = (await iam.send(new ListMFADevicesCommand({ UserName: 'kim' }))).MFADevices!.map((d) => ({ serial: d.SerialNumber! }));
  const seed = server.store.mfa.findVirtual(serial)!.seedBase32;
  const sts = stsClient(server, kim);
  const reused = await errorOf(sts.send(new GetSessionTokenCommand({ SerialNumber: serial, TokenCode: totpCode(seed, totpStep(clock.now())) })));
  assert.equal([reused.code, reused.status], ['AccessDenied', 403]);
  clock.advance(30_000);
  const code = totpCode(seed, totpStep(clock.now()));
  const session = await sts.send(new GetSessionTokenCommand({ SerialNumber: serial, TokenCode: code, DurationSeconds: 900 }));
  assert.is((await errorOf(sts.send(new GetSessionTokenCommand({ SerialNumber: serial, TokenCode: code })))).code, 'AccessDenied');
  assert.is((await errorOf(sts.send(new GetSessionTokenCommand({ SerialNumber: 'arn:aws:iam::123456789012:mfa/nobody', TokenCode: '123456' })))).code, 'AccessDenied');
  const creds = session.Credentials!;
  const temporary = { accessKeyId: creds.AccessKeyId!, secretAccessKey: creds.SecretAccessKey!, sessionToken: creds.SessionToken! };
  assert.is(creds.Expiration!.getTime(), wholeSeconds(clock.now() + 900_000));
  const identity = await stsClient(server, temporary).send(new GetCallerIdentityCommand({}));
  assert.is(identity.Arn, 'arn:aws:iam::123456789012:user/kim');
  assert.is((await errorOf(stsClient(server, temporary).send(new GetSessionTokenCommand({})))).code, 'AccessDenied');
  const forged = await errorOf(iamClient(server, { ...temporary, sessionToken: 'forged' }).send(new GetUserCommand({})));
  assert.is(forged.code, 'InvalidClientTokenId');
  expiring = temporary;
});

test('ResyncMFADevice learns a drifting device clock', async () => {
  const device = await newDevice('kim-drifting');
  server.store.mfa.deactivate('kim', server.store.mfa.listForUser('kim')[0].serialNumber);
  await enable('kim', device);
  const drift = 12;
  const deviceStep = totpStep(clock.now()) + drift;
  await iam.send(new ResyncMFADeviceCommand({ UserName: 'kim', SerialNumber: device.serial, AuthenticationCode1: totpCode(device.seed, deviceStep - 1), AuthenticationCode2: totpCode(device.seed, deviceStep) }));
  clock.advance(30_000);
  const session = await stsClient(server, kim).send(new GetSessionTokenCommand({ SerialNumber: device.serial, TokenCode: totpCode(device.seed, totpStep(clock.now()) + drift) }));
  assert.match(session.Credentials!.AccessKeyId!, /^ASIA/);
});

test('security keys: u2f serials in ListMFADevices, GetMFADevice, deactivation, at most eight devices', async () => {
  const key = securityKey('kim', 'fidosecuritykey1');
  assert.match(key.serialNumber, /^arn:aws:iam::123456789012:u2f\/user\/kim\/fidosecuritykey1-[A-Z2-7]{26}$/);
  const listed = await iam.send(new ListMFADevicesCommand({ UserName: 'kim' }));
  assert.ok(listed.MFADevices!.some((d) => d.SerialNumber === key.serialNumber && d.UserName === 'kim'));
  const got = await iam.send(new GetMFADeviceCommand({ UserName: 'kim', SerialNumber: key.serialNumber }));
  assert.equal(got.Certifications, { 'FIPS-140-2': 'L1' });
  assert.is((await errorOf(iam.send(new EnableMFADeviceCommand({ UserName: 'kim', SerialNumber: key.serialNumber, AuthenticationCode1: '123456', AuthenticationCode2: '654321' })))).code, 'InvalidInput');
  assert.is(server.store.mfa.findSecurityKeyByCredentialId(Buffer.from('kim/fidosecuritykey1'))!.serialNumber, key.serialNumber);
  server.store.mfa.updateSecurityKeyCounter(key.serialNumber, 7);
  assert.is(server.store.mfa.findSecurityKey(key.serialNumber)!.counter, 7);
  const count = (await iam.send(new ListMFADevicesCommand({ UserName: 'kim' }))).MFADevices!.length;
  for (let i = count; i < 8; i++) securityKey('kim', `key${i}`);
  let quota: unknown;
  try {
    securityKey('kim', 'one-too-many');
  } catch (error) {
    quota = error;
  }
  assert.is((quota as { code?: string }).code, 'LimitExceeded');
  await iam.send(new DeactivateMFADeviceCommand({ UserName: 'kim', SerialNumber: key.serialNumber }));
  assert.is(server.store.mfa.findSecurityKey(key.serialNumber), undefined);
  assert.is((await errorOf(iam.send(new GetMFADeviceCommand({ UserName: 'kim', SerialNumber: key.serialNumber })))).code, 'NoSuchEntity');
});

test('GetCallerIdentity and GetSessionToken for the root user', async () => {
  const sts = stsClient(server);
  const identity = await sts.send(new GetCallerIdentityCommand({}));
  assert.equal([identity.Account, identity.Arn, identity.UserId], ['123456789012', 'arn:aws:iam::123456789012:root', '123456789012']);
  assert.is((await errorOf(sts.send(new GetSessionTokenCommand({ DurationSeconds: 7200 })))).code, 'ValidationError');
  const session = await sts.send(new GetSessionTokenCommand({}));
  assert.is(session.Credentials!.Expiration!.getTime(), wholeSeconds(clock.now() + 3600_000));
});

test('temporary credentials expire (the last test: the clock moves past every signature window)', async () => {
  clock.advance(901_000);
  // The client's clock moves with ours, as the SDK's clock-skew correction would make it.
  const late = new IAMClient({ endpoint: server.url, region: 'us-east-1', credentials: expiring, maxAttempts: 1, systemClockOffset: clock.now() - Date.now() });
  assert.is((await errorOf(late.send(new GetUserCommand({})))).code, 'ExpiredToken');
});

test.run();
