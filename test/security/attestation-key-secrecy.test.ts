// The attestation private key (fixtures/attestation/default.key.pem) and the token's device
// secret are never logged or served. A `keyloop up` with every listener on and a security key
// registered in its console, and a fast `keyloop run` on up's key over USB/IP (registration,
// authentication, the console workshop) leave behind everything a user could see:
// stdout and stderr, every GET page the servers answer (the console's pages found by following
// their links, control /keys, the IAM endpoint's error pages), the reports and transcripts, and
// the IAM state file. None holds any of the secrets in any encoding (secret-encodings.ts).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createPrivateKey } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IAMClient, ListMFADevicesCommand } from '@aws-sdk/client-iam';
import { DEFAULT_ROOT_CREDENTIALS } from '../../emulator/iam/index.ts';
import { ConsoleClient } from '../../harness/browser/index.ts';
import { openUsbipTarget } from '../../harness/targets/remote-target.ts';
import { ACCOUNT, ADMIN, createWorkshopUsers } from '../console/support.ts';
import { testTokenOn } from '../support/emulator-token.ts';
import { startKeyloop } from '../support/keyloop-process.ts';
import { startKeyloopUp, type KeyloopUpProcess } from '../stress/keyloop-up-process.ts';
import { findSecret, type Secret } from './secret-encodings.ts';

const KEY_PEM = fileURLToPath(new URL('../../fixtures/attestation/default.key.pem', import.meta.url));
/** Scenarios that register, authenticate and run the console workshop: every path the key signs on. */
const SCENARIOS = ['u2f.register-authenticate', 'u2f.check-only-foreign', 'workshop.console'];

/** One thing a user could see: its name and its bytes. */
interface Capture {
  source: string;
  content: Buffer | string;
}

let dir: string;
let pem: string;
let up: KeyloopUpProcess;
const captures: Capture[] = [];
const secrets: Secret[] = [];

/**
 * The attestation key's private scalar. Its PEM, PKCS#8 and SEC1 forms all carry the scalar as
 * it is, so finding the scalar (raw, hex, or base64 at any alignment) finds them too; the rest of
 * those forms is the public key, which the certificate in every registration shows anyway.
 */
function attestationScalar(): Secret {
  const d = createPrivateKey(pem).export({ format: 'jwk' }).d!;
  return { name: 'attestation private key', bytes: Buffer.from(d, 'base64url') };
}

async function deviceSecret(name: string, stateDir: string): Promise<Secret> {
  const { secret } = JSON.parse(await readFile(join(stateDir, 'device-secret.json'), 'utf8')) as { secret: string };
  return { name, bytes: Buffer.from(secret, 'hex') };
}

/** Every file under `root`, except the device secret files, whose place is the state directory. */
async function filesUnder(root: string): Promise<Capture[]> {
  const found: Capture[] = [];
  for (const entry of await readdir(root, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || entry.name === 'device-secret.json') continue;
    const path = join(entry.parentPath, entry.name);
    found.push({ source: path.slice(dir.length + 1), content: await readFile(path) });
  }
  return found;
}

/** GET `url`, keeping the body (and the status line and headers, which a client sees too). */
async function capture(url: string): Promise<void> {
  const response = await fetch(url, { redirect: 'manual' });
  const headers = [...response.headers].map(([name, value]) => `${name}: ${value}`).join('\n');
  captures.push({ source: `GET ${url}`, content: `${response.status}\n${headers}\n\n${await response.text()}` });
}

/** The signed-in console's pages, found by following the links of the pages before them. */
async function crawlConsole(client: ConsoleClient, start: string[]): Promise<number> {
  const seen = new Set<string>();
  const queue = [...start];
  while (queue.length > 0 && seen.size < 80) {
    const path = queue.shift()!;
    if (seen.has(path)) continue;
    seen.add(path);
    const page = await client.get(path);
    captures.push({ source: `console ${path} (${page.status})`, content: page.html });
    for (const [, href] of page.html.matchAll(/(?:href|src)="\/console\/([^"#]*)"/g)) if (!seen.has(href)) queue.push(href.replace(/&amp;/g, '&'));
  }
  return seen.size;
}

/** `keyloop run` with the fast scenarios; resolves once it has exited 0. */
async function run(name: string, args: string[]): Promise<void> {
  const child = startKeyloop(['run', '--select', ...SCENARIOS, '--reports', join(dir, `${name}-reports`), ...args]);
  const code = await child.exited();
  captures.push({ source: `${name} stdout`, content: child.stdout() }, { source: `${name} stderr`, content: child.stderr() });
  assert.is(code, 0, `${name}:\n${child.stdout()}\n${child.stderr()}`);
}

test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'keyloop-secrecy-'));
  pem = await readFile(KEY_PEM, 'utf8');
  secrets.push(attestationScalar());
  up = await startKeyloopUp({ stateDir: join(dir, 'up-state'), iamPort: 0, udpPort: 0, controlPort: 0 });
  const { usbip } = up;
  const [iam, control] = [up.iam!, up.control!];
  // The console's origin is localhost (its WebAuthn RP ID), on the IAM port.
  const origin = `http://localhost:${iam.port}`;
  const consoleUrl = `${origin}/console`;

  // The console's admin registers a security key on up's own key, over USB/IP.
  const root = new IAMClient({ endpoint: `http://127.0.0.1:${iam.port}`, region: 'us-east-1', credentials: DEFAULT_ROOT_CREDENTIALS, maxAttempts: 1 });
  await createWorkshopUsers(root);
  const token = testTokenOn(await openUsbipTarget({ host: usbip.host, port: usbip.port, busId: '1-1' }));
  try {
    const admin = new ConsoleClient({ baseUrl: consoleUrl, origin, credentials: token.browser(origin) });
    assert.equal(await admin.signIn({ account: ACCOUNT, ...ADMIN }), { ok: true, value: { step: 'signed-in' } });
    assert.is((await admin.registerSecurityKey('SecrecyKey')).ok, true);
    const devices = await root.send(new ListMFADevicesCommand({ UserName: ADMIN.userName }));
    captures.push({ source: 'ListMFADevices', content: JSON.stringify(devices) });
    const pages = await crawlConsole(admin, ['home', 'iam', 'iam/users', 'iam/policies', 'iam/security-credentials', 'iam/security-credentials/mfa/assign']);
    assert.ok(pages >= 10, `${pages} console pages`);
  } finally {
    await token.close();
    root.destroy();
  }
  for (const path of ['console/signin', 'console/no/such/page', 'console/assets/console.js', '', 'no/such/path']) await capture(`http://127.0.0.1:${iam.port}/${path}`);
  for (const path of ['keys', 'no/such/path']) await capture(`http://127.0.0.1:${control.port}/${path}`);

  await run('run', ['--token', `usbip://127.0.0.1:${usbip.port}/1-1?control=${control.port}`]);
  assert.is(await up.stop(), 0);
  captures.push({ source: 'up output', content: up.log().join('\n') });
  captures.push(...(await filesUnder(join(dir, 'run-reports'))), ...(await filesUnder(join(dir, 'up-state'))));
  secrets.push(await deviceSecret('device secret', join(dir, 'up-state', '1-1')));
});

test.after(async () => {
  await up?.stop();
  await rm(dir, { recursive: true, force: true });
});

test('the captures hold what a user sees: pages, reports with transcripts, logs', () => {
  const sources = captures.map((each) => each.source);
  for (const expected of [/^run-reports\/.*\/transcript\.jsonl$/, /^run-reports\/.*\/report\.html$/, /^run stdout$/, /^up output$/, /\/keys$/, /^console iam\/security-credentials /, /^up-state\/iam\.sqlite/]) {
    assert.ok(sources.some((source) => expected.test(source)), `${expected} among ${sources.length} captures`);
  }
});

test('the secret search finds a secret in every encoding it looks for, and nothing in unrelated bytes', () => {
  const [scalar] = secrets;
  const bytes = Buffer.from(scalar.bytes);
  const hex = bytes.toString('hex');
  const written = [
    `{"d":"${bytes.toString('base64url')}"}`,
    `key=${hex.toUpperCase()}`,
    hex.match(/../g)!.join(':'),
    `prefix ${Buffer.concat([Buffer.from('x'), bytes, Buffer.from('yz')]).toString('base64')} suffix`,
    `[${[...bytes].join(',')}]`,
    Buffer.concat([Buffer.alloc(3), bytes.subarray(0, 10)]),
    // Cut across two reports, each with its own header in between.
    JSON.stringify([`0000000100${hex.slice(0, 24)}`, `0000000101${hex.slice(24)}`]),
  ];
  for (const content of written) assert.ok(findSecret(scalar, content).length > 0, String(content));
  assert.ok(findSecret(scalar, pem).length > 0, 'the PEM file itself');
  assert.equal(findSecret(scalar, Buffer.from(bytes).reverse().toString('hex')), []);
});

test('no attestation key and no device secret in any page, log, report, transcript or state file', () => {
  assert.is(secrets.length, 2);
  const leaks: string[] = [];
  for (const { source, content } of captures) {
    for (const secret of secrets) for (const how of findSecret(secret, content)) leaks.push(`${source}: ${secret.name} as ${how}`);
    if (/PRIVATE KEY/.test(String(content))) leaks.push(`${source}: a PEM private key header`);
  }
  assert.equal(leaks, [], `${captures.length} captures`);
});

test.run();
