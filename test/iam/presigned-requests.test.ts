// SigV4 query string authentication (AWS General Reference, "Signature Version 4 signing process":
// the signature in X-Amz-Algorithm, X-Amz-Credential, X-Amz-Date, X-Amz-Expires,
// X-Amz-SignedHeaders and X-Amz-Signature; its IAM ListUsers example is a presigned GET). IAM and
// STS hold a presigned request to the 15-minute window of a signed one. Found by the sigv4-headers
// fuzz target: presigned requests were answered MissingAuthenticationToken.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { IamServer } from '../../emulator/iam/index.ts';
import { presignQueryRequest, type QueryCredentials } from '../../harness/iam/sign-query-request.ts';
import { startTestServer } from './support.ts';

let server: IamServer;

test.before(async () => {
  server = await startTestServer();
});

test.after(async () => {
  await server.close();
});

interface Presigned {
  query: Record<string, string>;
  credentials?: QueryCredentials;
  service?: string;
  signingDate?: Date;
  edit?: (query: Record<string, string | string[]>) => void;
}

async function presignedGet({ query, credentials = server.rootCredentials, service = 'iam', signingDate = new Date(), edit = () => {} }: Presigned): Promise<{ status: number; text: string; code: string | undefined }> {
  const { host } = new URL(server.url);
  const signed = await presignQueryRequest({ url: server.url, credentials, headers: { host }, query, service, signingDate });
  edit(signed);
  const search = new URLSearchParams(Object.entries(signed).flatMap(([name, value]) => [value].flat().map((v): [string, string] => [name, v])));
  const response = await fetch(`${server.url}/?${search}`);
  const text = await response.text();
  return { status: response.status, text, code: /<Code>([^<]*)<\/Code>/.exec(text)?.[1] };
}

const createUser = (userName: string) => ({ Action: 'CreateUser', Version: '2010-05-08', UserName: userName });

test('a presigned GET runs its action as the signer', async () => {
  const list = await presignedGet({ query: { Action: 'ListUsers', Version: '2010-05-08' } });
  assert.is(list.status, 200, list.text);
  assert.match(list.text, /^<ListUsersResponse /);
  assert.is((await presignedGet({ query: createUser('presigned') })).status, 200);
  assert.ok(server.store.users.find('presigned'));
  const sts = await presignedGet({ query: { Action: 'GetCallerIdentity', Version: '2011-06-15' }, service: 'sts' });
  assert.match(sts.text, /<Arn>arn:aws:iam::123456789012:root<\/Arn>/);
});

test('temporary credentials carry their token in the query string', async () => {
  const session = server.store.sessions.create({ userName: undefined, durationSeconds: 900, mfaSerial: 'arn:aws:iam::123456789012:mfa/root' });
  const credentials = { accessKeyId: session.accessKeyId, secretAccessKey: session.secretAccessKey, sessionToken: session.sessionToken };
  assert.is((await presignedGet({ query: createUser('by-session'), credentials })).status, 200);
  const forged = await presignedGet({ query: createUser('forged'), credentials: { ...credentials, sessionToken: `${session.sessionToken.slice(0, -4)}AAAA` } });
  assert.equal([forged.status, forged.code], [403, 'InvalidClientTokenId']);
  assert.is(server.store.users.find('forged'), undefined);
});

test('a changed parameter, a missing one, or an old signature is refused and creates nothing', async () => {
  const tampered = await presignedGet({ query: createUser('tampered'), edit: (q) => void (q.UserName = 'tampered2') });
  assert.equal([tampered.status, tampered.code], [403, 'SignatureDoesNotMatch']);
  for (const name of ['X-Amz-Signature', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-SignedHeaders']) {
    const missing = await presignedGet({ query: createUser('missing'), edit: (q) => void delete q[name] });
    assert.equal([missing.status, missing.code], [400, 'IncompleteSignature'], name);
  }
  const tooLong = await presignedGet({ query: createUser('missing'), edit: (q) => void (q['X-Amz-Expires'] = '604801') });
  assert.is(tooLong.code, 'IncompleteSignature');
  const old = await presignedGet({ query: createUser('old'), signingDate: new Date(Date.now() - 20 * 60_000) });
  assert.equal([old.status, old.code], [403, 'SignatureDoesNotMatch']);
  assert.match(old.text, /Signature expired/);
  for (const name of ['tampered', 'tampered2', 'missing', 'old']) assert.is(server.store.users.find(name), undefined, name);
});

test.run();
