// Shared by the IAM tests: a server on an ephemeral port with a clock the test can move, AWS SDK
// clients for any credentials, raw signed requests for inputs no SDK would send, and error codes.
import { readFileSync } from 'node:fs';
import { IAMClient } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';
import { startIamServer, type Credentials, type IamServer, type IamServerOptions } from '../../emulator/iam/index.ts';
import { FORM_CONTENT_TYPE, signQueryRequest } from '../../harness/iam/sign-query-request.ts';

// The pinned SDK warns on every client that Node 22 will be needed in 2027; the tests know.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

export const fixture = (name: string): string => readFileSync(new URL(`../../fixtures/policies/${name}`, import.meta.url), 'utf8');

/** A clock the test moves by hand, starting at the real time (requests are signed in real time). */
export interface TestClock {
  now: () => number;
  advance: (ms: number) => void;
}

export function testClock(start = Date.now()): TestClock {
  let current = start;
  return { now: () => current, advance: (ms) => void (current += ms) };
}

export async function startTestServer(options: IamServerOptions = {}): Promise<IamServer> {
  return startIamServer({ port: 0, logger: { info: () => {}, error: (message, error) => console.error(message, error) }, ...options });
}

export interface SessionCredentials extends Credentials {
  sessionToken?: string;
}

export const iamClient = (server: IamServer, credentials: SessionCredentials = server.rootCredentials): IAMClient =>
  new IAMClient({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 });

export const stsClient = (server: IamServer, credentials: SessionCredentials = server.rootCredentials): STSClient =>
  new STSClient({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 });

/** The AWS error code of a rejected SDK call, or `resolved` if it did not reject. */
export async function errorOf(call: Promise<unknown>): Promise<{ code: string; message: string; status: number | undefined }> {
  try {
    await call;
  } catch (error) {
    const e = error as { Code?: string; name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { code: e.Code ?? e.name.replace(/Exception$/, ''), message: e.message, status: e.$metadata?.httpStatusCode };
  }
  return { code: 'resolved', message: '', status: undefined };
}

export interface RawRequest {
  /** The form body, sent as is. */
  body: string | Buffer;
  credentials?: SessionCredentials;
  service?: string;
  /** Signing time; default now. */
  date?: Date;
  headers?: Record<string, string>;
  /** Skip signing altogether. */
  unsigned?: boolean;
  method?: string;
  /** Query string parameters, signed and sent in the URL (a GET request's parameters). */
  query?: Record<string, string>;
}

export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  /** `<Code>` of an error body. */
  code: string | undefined;
}

/** A request signed like a real client (smithy's signer) but with any body and headers. */
export async function rawRequest(server: IamServer, { body, credentials = server.rootCredentials, service = 'iam', date = new Date(), headers = {}, unsigned = false, method = 'POST', query = {} }: RawRequest): Promise<RawResponse> {
  const url = new URL(server.url);
  let sendHeaders: Record<string, string> = { 'content-type': FORM_CONTENT_TYPE, host: url.host, ...headers };
  if (!unsigned) sendHeaders = await signQueryRequest({ url: server.url, credentials, body, headers: sendHeaders, service, method, signingDate: date, query });
  const search = new URLSearchParams(query).toString();
  const response = await fetch(`${server.url}/${search === '' ? '' : `?${search}`}`, { method, headers: sendHeaders, body: method === 'GET' ? undefined : typeof body === 'string' ? body : new Uint8Array(body) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, code: /<Code>([^<]*)<\/Code>/.exec(text)?.[1] };
}

export const form = (fields: Record<string, string>): string => new URLSearchParams(fields).toString();
