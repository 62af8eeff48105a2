// The U2F workshop's set-up from the shell with Debian's aws CLI 2.9 (/usr/bin/aws; a client we
// did not write, which signs only content-type;host;x-amz-date and sends no body hash), with the
// same answers as the SDK gets. Independent calls run in parallel: each CLI start costs ~1 s.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { totpCode, totpStep, type Credentials, type IamServer } from '../../emulator/iam/index.ts';
import { startTestServer, testClock, type SessionCredentials, type TestClock } from './support.ts';

const AWS = '/usr/bin/aws';
const ALICE_ARN = 'arn:aws:iam::123456789012:user/alice';
const POLICY_FILE = fileURLToPath(new URL('../../fixtures/policies/workshop-mfa.json', import.meta.url));

interface CliResult {
  json: Record<string, any>;
  /** The AWS error code, or undefined when the command succeeded. */
  code: string | undefined;
  message: string;
}

let server: IamServer;
let clock: TestClock;
let workDir: string;

function aws(credentials: SessionCredentials, ...args: string[]): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: workDir,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_CONFIG_FILE: join(workDir, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(workDir, 'credentials'),
    AWS_PAGER: '',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  if (credentials.sessionToken) env.AWS_SESSION_TOKEN = credentials.sessionToken;
  return new Promise((resolve, reject) => {
    execFile(AWS, ['--endpoint-url', server.url, '--output', 'json', ...args], { env }, (error, stdout, stderr) => {
      const failure = /An error occurred \(([^)]+)\) when calling the \w+ operation: (.*)/.exec(stderr);
      if (error && !failure) return reject(new Error(`aws ${args.join(' ')} failed: ${stderr}`));
      resolve({ json: stdout.trim() ? JSON.parse(stdout) : {}, code: failure?.[1], message: failure?.[2].trim() ?? '' });
    });
  });
}

const explicitDeny = (action: string): string =>
  `User: ${ALICE_ARN} is not authorized to perform: ${action} on resource: ${ALICE_ARN} with an explicit deny in an identity-based policy`;

if (!existsSync(AWS)) {
  console.log(`workshop-cli: ${AWS} is absent, skipping (apt-get install -y awscli; CI installs it)`);
  test.skip('the workshop through the aws CLI (needs /usr/bin/aws)', () => {});
} else {
  let root: Credentials;
  let alice: Credentials;

  test.before(async () => {
    clock = testClock();
    server = await startTestServer({ clock: clock.now });
    root = server.rootCredentials;
    workDir = mkdtempSync(join(tmpdir(), 'keyloop-awscli-'));
  });

  test.after(async () => {
    await server.close();
    rmSync(workDir, { recursive: true, force: true });
  });

  test('set-up: users with passwords, the workshop policy from its file, AWS managed policies beside it', async () => {
    // bob is only someone else for alice to look at; the store makes him without a CLI start.
    server.store.transaction(() => {
      server.store.users.create({ userName: 'bob' });
      server.store.loginProfiles.create({ userName: 'bob', password: 'Bobs-Passw0rd!', passwordResetRequired: false });
    });
    await Promise.all([
      aws(root, 'iam', 'create-user', '--user-name', 'alice'),
      aws(root, 'iam', 'create-policy', '--policy-name', 'MFAHardDevice', '--policy-document', `file://${POLICY_FILE}`),
    ]);
    await aws(root, 'iam', 'create-login-profile', '--user-name', 'alice', '--password', 'Workshop-Passw0rd!');
    const policyArn = 'arn:aws:iam::123456789012:policy/MFAHardDevice';
    await Promise.all(
      [policyArn, 'arn:aws:iam::aws:policy/IAMReadOnlyAccess', 'arn:aws:iam::aws:policy/IAMUserChangePassword'].map((arn) =>
        aws(root, 'iam', 'attach-user-policy', '--user-name', 'alice', '--policy-arn', arn),
      ),
    );
    const [attached, policy, version, key] = await Promise.all([
      aws(root, 'iam', 'list-attached-user-policies', '--user-name', 'alice'),
      aws(root, 'iam', 'get-policy', '--policy-arn', policyArn),
      aws(root, 'iam', 'get-policy-version', '--policy-arn', policyArn, '--version-id', 'v1'),
      aws(root, 'iam', 'create-access-key', '--user-name', 'alice'),
    ]);
    assert.equal(attached.json.AttachedPolicies.map((p: { PolicyName: string }) => p.PolicyName).sort(), ['IAMReadOnlyAccess', 'IAMUserChangePassword', 'MFAHardDevice']);
    assert.is(policy.json.Policy.AttachmentCount, 1);
    // The CLI decodes the URL-encoded document back into JSON.
    assert.equal(version.json.PolicyVersion.Document, JSON.parse(readFileSync(POLICY_FILE, 'utf8')));
    alice = { accessKeyId: key.json.AccessKey.AccessKeyId, secretAccessKey: key.json.AccessKey.SecretAccessKey };
  });

  test('without MFA: allowed on herself, explicitly denied the rest on herself, allowed elsewhere, implicitly denied the unallowed', async () => {
    const [getUser, listMfa, changePassword, getOwnProfile, listKeys, deactivate, listUsers, getBobProfile, createUser] = await Promise.all([
      aws(alice, 'iam', 'get-user'),
      aws(alice, 'iam', 'list-mfa-devices'),
      aws(alice, 'iam', 'change-password', '--old-password', 'Workshop-Passw0rd!', '--new-password', 'New-Passw0rd!'),
      aws(alice, 'iam', 'get-login-profile', '--user-name', 'alice'),
      aws(alice, 'iam', 'list-access-keys'),
      aws(alice, 'iam', 'deactivate-mfa-device', '--user-name', 'alice', '--serial-number', 'arn:aws:iam::123456789012:mfa/alice'),
      aws(alice, 'iam', 'list-users'),
      aws(alice, 'iam', 'get-login-profile', '--user-name', 'bob'),
      aws(alice, 'iam', 'create-user', '--user-name', 'mallory'),
    ]);
    assert.is(getUser.json.User.Arn, ALICE_ARN);
    assert.equal(listMfa.json.MFADevices, []);
    for (const [result, action] of [[changePassword, 'iam:ChangePassword'], [getOwnProfile, 'iam:GetLoginProfile'], [listKeys, 'iam:ListAccessKeys'], [deactivate, 'iam:DeactivateMFADevice']] as const) {
      assert.is(result.code, 'AccessDenied', action);
      assert.is(result.message, explicitDeny(action));
    }
    assert.equal(listUsers.json.Users.map((u: { UserName: string }) => u.UserName), ['alice', 'bob']);
    assert.is(getBobProfile.json.LoginProfile.UserName, 'bob');
    assert.is(createUser.code, 'AccessDenied');
    assert.match(createUser.message, /because no identity-based policy allows the iam:CreateUser action$/);
  });

  test('a virtual MFA device, enabled by alice, then an MFA session lifts the explicit denies', async () => {
    const seedFile = join(workDir, 'alice.seed');
    const created = await aws(root, 'iam', 'create-virtual-mfa-device', '--virtual-mfa-device-name', 'alice', '--outfile', seedFile, '--bootstrap-method', 'Base32StringSeed');
    const serial: string = created.json.VirtualMFADevice.SerialNumber;
    const seed = readFileSync(seedFile, 'utf8').trim();
    const step = totpStep(clock.now());
    const enabled = await aws(alice, 'iam', 'enable-mfa-device', '--user-name', 'alice', '--serial-number', serial, '--authentication-code1', totpCode(seed, step - 1), '--authentication-code2', totpCode(seed, step));
    assert.is(enabled.code, undefined, enabled.message);
    clock.advance(30_000);
    const token = await aws(alice, 'sts', 'get-session-token', '--serial-number', serial, '--token-code', totpCode(seed, totpStep(clock.now())));
    const session: SessionCredentials = {
      accessKeyId: token.json.Credentials.AccessKeyId,
      secretAccessKey: token.json.Credentials.SecretAccessKey,
      sessionToken: token.json.Credentials.SessionToken,
    };
    const [changePassword, getOwnProfile, listKeys, createUser] = await Promise.all([
      aws(session, 'iam', 'change-password', '--old-password', 'Workshop-Passw0rd!', '--new-password', 'New-Passw0rd!'),
      aws(session, 'iam', 'get-login-profile', '--user-name', 'alice'),
      aws(session, 'iam', 'list-access-keys'),
      aws(session, 'iam', 'create-user', '--user-name', 'mallory'),
    ]);
    assert.is(changePassword.code, undefined, changePassword.message);
    assert.is(getOwnProfile.json.LoginProfile.UserName, 'alice');
    assert.is(listKeys.json.AccessKeyMetadata.length, 1);
    assert.is(createUser.code, 'AccessDenied');
    assert.match(createUser.message, /because no identity-based policy allows/);
  });
}

test.run();
