// Bad input of every kind gets a clean AWS error (well-formed XML, the right code and status, a
// request id), and the store stays whole: malformed bodies, missing or unknown actions, oversized
// bodies, XML-unsafe characters, unexpected failures inside a handler, concurrent writers.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { XMLValidator } from 'fast-xml-parser';
import { CreateAccessKeyCommand, CreateUserCommand, ListUsersCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { IamServer } from '../../emulator/iam/index.ts';
import { errorOf, form, iamClient, rawRequest, startTestServer, stsClient, type RawResponse } from './support.ts';

let server: IamServer;

test.before(async () => {
  server = await startTestServer({ maxBodyBytes: 64 * 1024, logger: { info: () => {}, error: () => {} } });
});

test.after(async () => {
  await server.close();
});

function assertAwsError(response: RawResponse, code: string, status: number): void {
  assert.is(response.code, code, response.text);
  assert.is(response.status, status);
  assert.is(XMLValidator.validate(response.text), true, 'well-formed XML');
  assert.match(response.text, /^<ErrorResponse xmlns="https:\/\/(iam|sts)\.amazonaws\.com\/doc\/[0-9-]+\/"><Error><Type>(Sender|Receiver)<\/Type>/);
  assert.ok(response.headers.get('x-amzn-requestid'));
  assert.is(response.headers.get('content-type')?.split(';')[0], 'text/xml');
}

test('missing, unknown and misversioned actions', async () => {
  assertAwsError(await rawRequest(server, { body: form({ Version: '2010-05-08' }) }), 'MissingAction', 400);
  assertAwsError(await rawRequest(server, { body: form({ Action: 'LaunchRocket', Version: '2010-05-08' }) }), 'InvalidAction', 400);
  assertAwsError(await rawRequest(server, { body: form({ Action: 'ListUsers', Version: '2011-06-15' }) }), 'InvalidAction', 400);
  // An STS action signed for IAM, and an IAM action signed for STS.
  assertAwsError(await rawRequest(server, { body: form({ Action: 'GetCallerIdentity', Version: '2010-05-08' }) }), 'InvalidAction', 400);
  assertAwsError(await rawRequest(server, { service: 'sts', body: form({ Action: 'ListUsers', Version: '2011-06-15' }) }), 'InvalidAction', 400);
  assertAwsError(await rawRequest(server, { service: 's3', body: form({ Action: 'ListUsers', Version: '2010-05-08' }) }), 'SignatureDoesNotMatch', 403);
});

test('malformed bodies', async () => {
  const bodies: Array<string | Buffer> = [
    Buffer.from([0xff, 0xfe, 0x00, 0x41, 0x3d, 0x80]),
    'Action=%ZZ&Version=%',
    '{"Action": "ListUsers"}',
    '&&&==&',
    'Action',
  ];
  for (const body of bodies) {
    const response = await rawRequest(server, { body });
    assert.ok(response.status >= 400 && response.status < 500, String(body));
    assertAwsError(response, response.code!, response.status);
  }
  const json = await rawRequest(server, { body: '{"Action":"ListUsers"}', headers: { 'content-type': 'application/json' } });
  assertAwsError(json, 'MissingAction', 400);
  assertAwsError(await rawRequest(server, { body: '', method: 'GET' }), 'MissingAction', 400);
  assertAwsError(await rawRequest(server, { body: '', method: 'PUT' }), 'MissingAction', 400);
});

test('oversized bodies are refused before they are parsed', async () => {
  const big = form({ Action: 'CreateUser', Version: '2010-05-08', UserName: 'big', Padding: 'x'.repeat(100 * 1024) });
  assertAwsError(await rawRequest(server, { body: big }), 'RequestEntityTooLarge', 413);
  // Without a Content-Length the limit holds while reading.
  const chunked = new ReadableStream({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(big));
      controller.close();
    },
  });
  const response = await fetch(`${server.url}/`, { method: 'POST', body: chunked, headers: { 'content-type': 'application/x-www-form-urlencoded' }, duplex: 'half' } as RequestInit);
  assert.is(response.status, 413);
  assert.match(await response.text(), /<Code>RequestEntityTooLarge<\/Code>/);
  assert.is(server.store.users.find('big'), undefined);
});

test('XML-unsafe characters in names: a validation error, escaped, in well-formed XML', async () => {
  for (const name of ['<script>', 'a&b', 'quote"d', "it's", 'nul\u0000byte', 'bell\u0007', 'emoji\u{1F600}', 'lone\uD800surrogate']) {
    const response = await rawRequest(server, { body: form({ Action: 'CreateUser', Version: '2010-05-08', UserName: name }) });
    assertAwsError(response, 'ValidationError', 400);
  }
  const sdk = await errorOf(iamClient(server).send(new CreateUserCommand({ UserName: '<b>&amp;</b>' })));
  assert.is(sdk.code, 'ValidationError');
  assert.match(sdk.message, /Value '<b>&amp;<\/b>' at 'userName'/);
});

test('an unexpected failure is a ServiceFailure for that request only', async () => {
  const users = server.store.users;
  const list = users.list;
  users.list = () => {
    throw new TypeError('disk on fire');
  };
  try {
    const failed = await errorOf(iamClient(server).send(new ListUsersCommand({})));
    assert.equal([failed.code, failed.status], ['ServiceFailure', 500]);
  } finally {
    users.list = list;
  }
  assert.ok((await iamClient(server).send(new ListUsersCommand({}))).Users);
});

test('concurrent writers: each write lands once, limits hold, the store stays whole', async () => {
  const iam = iamClient(server);
  const distinct = await Promise.all(Array.from({ length: 40 }, (_, i) => iam.send(new CreateUserCommand({ UserName: `c${i}` })).then(() => 'ok', (e) => e.name)));
  assert.ok(distinct.every((r) => r === 'ok'));
  const same = await Promise.all(Array.from({ length: 20 }, () => errorOf(iam.send(new CreateUserCommand({ UserName: 'race' })))));
  assert.is(same.filter((r) => r.code === 'resolved').length, 1);
  assert.ok(same.filter((r) => r.code !== 'resolved').every((r) => r.code === 'EntityAlreadyExists'));
  const keys = await Promise.all(Array.from({ length: 10 }, () => errorOf(iam.send(new CreateAccessKeyCommand({ UserName: 'race' })))));
  assert.is(keys.filter((r) => r.code === 'resolved').length, 2);
  assert.is(keys.filter((r) => r.code === 'LimitExceeded').length, 8);
  assert.is(server.store.accessKeys.list('race').length, 2);
  assert.is(server.store.users.list().length, 41);
  assert.is(server.store.integrityCheck(), 'ok');
  assert.is((await stsClient(server).send(new GetCallerIdentityCommand({}))).Account, '123456789012');
});

test.run();
