// Device profiles and attestation: defaults, validation naming the field, vendor attestation.
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createAttestationCertificate } from '../../emulator/token/attestation-certificate.ts';
import { DEFAULT_PROFILE_PATH, TokenError, U2fToken, loadProfile, parseProfile } from '../../emulator/token/index.ts';
import { register, registerSigned, rejectsWithCode, tempDir, verifyWithCertificate } from './helpers.ts';

const dirs: string[] = [];
test.after(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

const base = async () => JSON.parse(await readFile(DEFAULT_PROFILE_PATH, 'utf8')) as Record<string, unknown>;

test('default profile: pid.codes test VID, keyloop strings, defaults, absolute attestation paths', async () => {
  const profile = await loadProfile();
  assert.is(profile.vendorId, 0x1209);
  assert.is(profile.productId, 0x7f1d);
  assert.is(profile.manufacturer, 'keyloop');
  assert.is(profile.product, 'keyloop virtual U2F key');
  assert.equal(profile.presence, { mode: 'auto' });
  assert.is(profile.signer, 'noble');
  assert.is(profile.touchTimeoutMs, 3000);
  assert.ok(profile.attestation.certificate.endsWith('fixtures/attestation/default.cert.pem'));
  const token = await U2fToken.open({ profile });
  const cert = new X509Certificate(token.attestationCertificate);
  assert.ok(cert.subject.includes('CN=keyloop U2F attestation'));
  assert.ok(cert.verify(cert.publicKey), 'self-signed');
  await token.close();
});

test('optional fields take their defaults', async () => {
  const json = await base();
  for (const field of ['attestation', 'counterStart', 'presence', 'signer', 'touchTimeoutMs']) delete json[field];
  const profile = parseProfile(json);
  assert.is(profile.counterStart, 0);
  assert.equal(profile.presence, { mode: 'auto' });
  assert.is(profile.signer, 'noble');
  assert.ok(profile.attestation.privateKey.endsWith('default.key.pem'));
  assert.equal(parseProfile({ ...json, presence: 'delay:1500', vendorId: 4617 }).presence, { mode: 'delay', ms: 1500 });
});

test('each invalid field is INVALID_PROFILE with the field named', async () => {
  const json = await base();
  const cases: [string, unknown][] = [
    ['name', ''],
    ['vendorId', 0x10000],
    ['vendorId', '0x12345'],
    ['productId', -1],
    ['manufacturer', 42],
    ['product', 'x'.repeat(127)],
    ['serialNumber', undefined],
    ['deviceVersion', 'v1'],
    ['counterStart', 1.5],
    ['presence', 'sometimes'],
    ['signer', 'openssl'],
    ['touchTimeoutMs', '3000'],
    ['attestation', 'cert.pem'],
    ['colour', 'blue'],
  ];
  for (const [field, value] of cases) {
    try {
      parseProfile({ ...json, [field]: value }, { source: 'test.json' });
      assert.unreachable(`${field} = ${JSON.stringify(value)} accepted`);
    } catch (error) {
      assert.instance(error, TokenError);
      assert.is((error as TokenError).code, 'INVALID_PROFILE');
      assert.ok((error as Error).message.includes(`"${field}"`), (error as Error).message);
    }
  }
  assert.throws(() => parseProfile({ ...json, deviceVersion: { major: 1, minor: 256, build: 0 } }), /deviceVersion\.minor/);
  assert.throws(() => parseProfile({ ...json, attestation: { certificate: 'a.pem' } }), /attestation\.privateKey/);
  assert.throws(() => parseProfile([]), /must be an object/);
});

test('loadProfile: missing file and bad JSON are INVALID_PROFILE', async () => {
  const dir = await tempDir('profile');
  dirs.push(dir);
  await rejectsWithCode(() => loadProfile(join(dir, 'missing.json')), 'INVALID_PROFILE');
  await writeFile(join(dir, 'bad.json'), '{ "name": ');
  await rejectsWithCode(() => loadProfile(join(dir, 'bad.json')), 'INVALID_PROFILE');
});

test('a profile with its own attestation (paths relative to the profile) signs registrations with it', async () => {
  const dir = await tempDir('vendor');
  dirs.push(dir);
  const { certificatePem, privateKeyPem } = await createAttestationCertificate({ subject: 'CN=Acme U2F EE Serial 42, O=Acme Corp, C=SE' });
  await mkdir(join(dir, 'certs'));
  await writeFile(join(dir, 'certs', 'acme.cert.pem'), certificatePem);
  await writeFile(join(dir, 'certs', 'acme.key.pem'), privateKeyPem);
  const json = { ...(await base()), name: 'acme', attestation: { certificate: 'certs/acme.cert.pem', privateKey: 'certs/acme.key.pem' } };
  await writeFile(join(dir, 'acme.json'), JSON.stringify(json));

  const token = await U2fToken.open({ profile: await loadProfile(join(dir, 'acme.json')) });
  const { app, challenge, registration } = await register(token);
  const cert = new X509Certificate(registration.certificate);
  assert.is(cert.subject, 'CN=Acme U2F EE Serial 42\nO=Acme Corp\nC=SE');
  assert.is(cert.issuer, cert.subject);
  assert.ok(verifyWithCertificate(registration.certificate, registerSigned(app, challenge, registration), registration.signature));
  await token.close();
});

test('attestation key that does not match the certificate, or is missing, is INVALID_ATTESTATION', async () => {
  const dir = await tempDir('mismatch');
  dirs.push(dir);
  const one = await createAttestationCertificate();
  const two = await createAttestationCertificate();
  await writeFile(join(dir, 'cert.pem'), one.certificatePem);
  await writeFile(join(dir, 'key.pem'), two.privateKeyPem);
  const profile = parseProfile({ ...(await base()), attestation: { certificate: 'cert.pem', privateKey: 'key.pem' } }, { baseDir: dir });
  await rejectsWithCode(() => U2fToken.open({ profile }), 'INVALID_ATTESTATION');
  const missing = parseProfile({ ...(await base()), attestation: { certificate: 'cert.pem', privateKey: 'nope.pem' } }, { baseDir: dir });
  await rejectsWithCode(() => U2fToken.open({ profile: missing }), 'INVALID_ATTESTATION');
});

test('npm run make-attestation writes a usable pair (--out, --subject, --name)', async () => {
  const dir = await tempDir('script');
  dirs.push(dir);
  await promisify(execFile)(process.execPath, ['--import', 'tsx/esm', 'scripts/make-attestation.ts', '--out', dir, '--subject', 'CN=Script Test, O=keyloop', '--name', 'x']);
  const cert = new X509Certificate(await readFile(join(dir, 'x.cert.pem')));
  assert.is(cert.subject, 'CN=Script Test\nO=keyloop');
  const profile = parseProfile({ ...(await base()), attestation: { certificate: 'x.cert.pem', privateKey: 'x.key.pem' } }, { baseDir: dir });
  await (await U2fToken.open({ profile })).close();
});

test.run();
