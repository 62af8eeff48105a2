// SigV4 on the receiving side: the AWS Signature Version 4 test suite's post-x-www-form-urlencoded
// vector (the shape Debian's aws CLI sends: content-type;host;x-amz-date, no body hash), the
// headers a signature must cover, then the endpoint's answers to unknown keys, bad signatures,
// stale dates, missing signatures and session tokens sent with long-term keys.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { GetUserCommand } from '@aws-sdk/client-iam';
import { IamError, type IamServer } from '../../emulator/iam/index.ts';
import { checkClockSkew, parseAuthorization, verifySignature, type SignedRequest } from '../../emulator/iam/sigv4.ts';
import { FORM_CONTENT_TYPE, signQueryRequest } from '../../harness/iam/sign-query-request.ts';
import { errorOf, form, iamClient, rawRequest, startTestServer } from './support.ts';

const SUITE_SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const SUITE_REQUEST: SignedRequest = {
  method: 'POST',
  path: '/',
  query: '',
  headers: {
    'content-type': 'application/x-www-form-urlencoded',
    host: 'example.amazonaws.com',
    'x-amz-date': '20150830T123600Z',
    authorization:
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a',
  },
  body: Buffer.from('Param1=value1'),
};

async function codeOf(run: () => unknown): Promise<string> {
  try {
    await run();
    return 'ok';
  } catch (error) {
    return error instanceof IamError ? error.code : String(error);
  }
}

test('the SigV4 test suite vector post-x-www-form-urlencoded verifies', async () => {
  const auth = parseAuthorization(SUITE_REQUEST.headers);
  assert.equal(auth.scope, { accessKeyId: 'AKIDEXAMPLE', date: '20150830', region: 'us-east-1', service: 'service' });
  assert.equal(auth.signedHeaders, ['content-type', 'host', 'x-amz-date']);
  await verifySignature(SUITE_REQUEST, auth, SUITE_SECRET);
});

test('a changed body, header or secret does not verify', async () => {
  const auth = parseAuthorization(SUITE_REQUEST.headers);
  assert.is(await codeOf(() => verifySignature({ ...SUITE_REQUEST, body: Buffer.from('Param1=value2') }, auth, SUITE_SECRET)), 'SignatureDoesNotMatch');
  assert.is(await codeOf(() => verifySignature({ ...SUITE_REQUEST, headers: { ...SUITE_REQUEST.headers, host: 'example.com' } }, auth, SUITE_SECRET)), 'SignatureDoesNotMatch');
  assert.is(await codeOf(() => verifySignature(SUITE_REQUEST, auth, SUITE_SECRET.replace('K', 'k'))), 'SignatureDoesNotMatch');
});

test('a signed body hash must be the hash of the body', async () => {
  const headers: Record<string, string | undefined> = { ...(SUITE_REQUEST.headers as Record<string, string>), 'x-amz-content-sha256': '0'.repeat(64) };
  const auth = parseAuthorization({ ...headers, authorization: String(headers.authorization).replace('content-type;host;x-amz-date', 'content-type;host;x-amz-content-sha256;x-amz-date') });
  assert.is(await codeOf(() => verifySignature({ ...SUITE_REQUEST, headers }, auth, SUITE_SECRET)), 'SignatureDoesNotMatch');
});

test('the clock window is 15 minutes either side', async () => {
  const auth = parseAuthorization(SUITE_REQUEST.headers);
  const signed = Date.parse('2015-08-30T12:36:00Z');
  assert.is(await codeOf(() => checkClockSkew(auth, signed + 14 * 60_000)), 'ok');
  assert.is(await codeOf(() => checkClockSkew(auth, signed + 16 * 60_000)), 'SignatureDoesNotMatch');
  assert.is(await codeOf(() => checkClockSkew(auth, signed - 16 * 60_000)), 'SignatureDoesNotMatch');
});

test('malformed Authorization headers are IncompleteSignature', async () => {
  const base = SUITE_REQUEST.headers;
  assert.is(await codeOf(() => parseAuthorization({ ...base, authorization: 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request' })), 'IncompleteSignature');
  assert.is(await codeOf(() => parseAuthorization({ ...base, authorization: 'AWS AKIDEXAMPLE:signature' })), 'IncompleteSignature');
  assert.is(await codeOf(() => parseAuthorization({ ...base, 'x-amz-date': undefined })), 'IncompleteSignature');
  assert.is(await codeOf(() => parseAuthorization({ ...base, authorization: undefined })), 'MissingAuthenticationToken');
});

test('a signature must cover host and X-Amz-Date, and X-Amz-Date must be a real time (found by the sigv4-headers fuzz target)', async () => {
  const base = SUITE_REQUEST.headers;
  const signing = (signedHeaders: string) => ({ ...base, authorization: String(base.authorization).replace('content-type;host;x-amz-date', signedHeaders) });
  assert.is(await codeOf(() => parseAuthorization(signing('content-type;x-amz-date'))), 'IncompleteSignature');
  assert.is(await codeOf(() => parseAuthorization(signing('content-type;host'))), 'IncompleteSignature');
  assert.is(await codeOf(() => parseAuthorization(signing('host;x-amz-date'))), 'ok');
  const month13 = { ...base, 'x-amz-date': '20151330T123600Z', authorization: String(base.authorization).replace('20150830', '20151330') };
  assert.is(await codeOf(() => parseAuthorization(month13)), 'IncompleteSignature');
});

test('SignedHeaders naming an inherited property (constructor) is a mismatch, not a crash (found by the sigv4-headers fuzz target)', async () => {
  const auth = parseAuthorization(SUITE_REQUEST.headers);
  for (const name of ['constructor', '__proto__', 'tostring']) {
    assert.is(await codeOf(() => verifySignature(SUITE_REQUEST, { ...auth, signedHeaders: [...auth.signedHeaders, name] }, SUITE_SECRET)), 'SignatureDoesNotMatch', name);
  }
});

let server: IamServer;

test.before(async () => {
  server = await startTestServer();
});

test.after(async () => {
  await server.close();
});

test('through the endpoint: unknown key, wrong secret, stale date, no signature', async () => {
  const body = form({ Action: 'GetUser', Version: '2010-05-08' });
  const unknown = await errorOf(iamClient(server, { accessKeyId: 'AKIAUNKNOWNKEY000000', secretAccessKey: 'x'.repeat(40) }).send(new GetUserCommand({})));
  assert.equal([unknown.code, unknown.status], ['InvalidClientTokenId', 403]);
  const wrong = await errorOf(iamClient(server, { ...server.rootCredentials, secretAccessKey: 'wrong' }).send(new GetUserCommand({})));
  assert.equal([wrong.code, wrong.status], ['SignatureDoesNotMatch', 403]);
  const stale = await rawRequest(server, { body, date: new Date(Date.now() - 20 * 60_000) });
  assert.equal([stale.code, stale.status], ['SignatureDoesNotMatch', 403]);
  assert.match(stale.text, /Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)/);
  const unsigned = await rawRequest(server, { body, unsigned: true });
  assert.equal([unsigned.code, unsigned.status], ['MissingAuthenticationToken', 403]);
  assert.ok(unsigned.headers.get('x-amzn-requestid'));
});

test('an inactive or deleted user key stops working', async () => {
  const iam = iamClient(server);
  await server.store.transaction(() => server.store.users.create({ userName: 'carol' }));
  const key = server.store.accessKeys.create('carol');
  const carol = iamClient(server, { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey });
  assert.is((await errorOf(carol.send(new GetUserCommand({})))).code, 'AccessDenied');
  server.store.accessKeys.setStatus('carol', key.accessKeyId, 'Inactive');
  assert.is((await errorOf(carol.send(new GetUserCommand({})))).code, 'InvalidClientTokenId');
  server.store.accessKeys.delete('carol', key.accessKeyId);
  assert.is((await errorOf(carol.send(new GetUserCommand({})))).code, 'InvalidClientTokenId');
  assert.is((await iam.send(new GetUserCommand({ UserName: 'carol' }))).User!.UserName, 'carol');
});

test('a signature computed without host is refused, and creates nothing', async () => {
  const body = form({ Action: 'CreateUser', Version: '2010-05-08', UserName: 'hostless' });
  const { host } = new URL(server.url);
  const headers = await signQueryRequest({ url: server.url, credentials: server.rootCredentials, body, headers: { host, 'content-type': FORM_CONTENT_TYPE }, unsignableHeaders: new Set(['host']) });
  assert.not.match(headers.authorization, /SignedHeaders=[^,]*host/);
  const response = await fetch(`${server.url}/`, { method: 'POST', headers, body });
  assert.is(response.status, 400);
  assert.match(await response.text(), /<Code>IncompleteSignature<\/Code>/);
  assert.is(server.store.users.find('hostless'), undefined);
});

test('a session token sent with a long-term key is InvalidClientTokenId (found by the sigv4-headers fuzz target)', async () => {
  const body = form({ Action: 'CreateUser', Version: '2010-05-08', UserName: 'tokened' });
  const response = await rawRequest(server, { body, credentials: { ...server.rootCredentials, sessionToken: 'FQoGZXIvYXdzEXAMPLE' } });
  assert.equal([response.status, response.code], [403, 'InvalidClientTokenId']);
  assert.is(server.store.users.find('tokened'), undefined);
});

test.run();
