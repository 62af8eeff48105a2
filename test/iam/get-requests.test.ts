// The Query API over GET (IAM API Reference, "Making Query Requests": GET or POST): a GET request
// carries its parameters in the signed query string; a POST request in its body. Found by the
// iam-query fuzz target: GET requests were answered MissingAction whatever they asked.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { IamServer } from '../../emulator/iam/index.ts';
import { FORM_CONTENT_TYPE, signQueryRequest } from '../../harness/iam/sign-query-request.ts';
import { rawRequest, startTestServer } from './support.ts';

let server: IamServer;

test.before(async () => {
  server = await startTestServer();
});

test.after(async () => {
  await server.close();
});

test('a signed GET request runs the action its query string names', async () => {
  const list = await rawRequest(server, { method: 'GET', body: '', query: { Action: 'ListUsers', Version: '2010-05-08' } });
  assert.is(list.status, 200, list.text);
  assert.match(list.text, /^<ListUsersResponse xmlns="https:\/\/iam\.amazonaws\.com\/doc\/2010-05-08\/"><ListUsersResult>/);
  const create = await rawRequest(server, { method: 'GET', body: '', query: { Action: 'CreateUser', Version: '2010-05-08', UserName: 'getter' } });
  assert.is(create.status, 200, create.text);
  assert.ok(server.store.users.find('getter'));
  const sts = await rawRequest(server, { method: 'GET', body: '', service: 'sts', query: { Action: 'GetCallerIdentity', Version: '2011-06-15' } });
  assert.match(sts.text, /<Account>123456789012<\/Account>/);
});

test('the query string is signed: a parameter changed after signing is SignatureDoesNotMatch and changes nothing', async () => {
  const { host } = new URL(server.url);
  const query = { Action: 'CreateUser', Version: '2010-05-08', UserName: 'signed' };
  const headers = await signQueryRequest({ url: server.url, credentials: server.rootCredentials, body: '', headers: { host, 'content-type': FORM_CONTENT_TYPE }, method: 'GET', query });
  const tampered = await fetch(`${server.url}/?${new URLSearchParams({ ...query, UserName: 'forged' })}`, { headers });
  assert.is(tampered.status, 403);
  assert.match(await tampered.text(), /<Code>SignatureDoesNotMatch<\/Code>/);
  assert.is(server.store.users.find('forged'), undefined);
});

test('GET without a query string, and POST with its parameters only in the URL, name no action', async () => {
  assert.is((await rawRequest(server, { method: 'GET', body: '' })).code, 'MissingAction');
  const post = await rawRequest(server, { body: '', query: { Action: 'ListUsers', Version: '2010-05-08' } });
  assert.equal([post.status, post.code], [400, 'MissingAction']);
});

test.run();
