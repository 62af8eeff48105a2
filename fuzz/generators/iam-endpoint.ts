// The mock IAM endpoint in-process for the IAM fuzz targets: on 127.0.0.1 port 0 with one keep-alive
// connection, a raw HTTP client that sends exactly the headers it is given (repeated names too),
// requests signed by the shared SigV4 signer, and the internal failures the server logs.
import type { IncomingHttpHeaders } from 'node:http';
import { startIamServer, type Credentials, type IamServer } from '../../emulator/iam/index.ts';
import { FORM_CONTENT_TYPE, signQueryRequest, type QueryCredentials } from '../../harness/iam/sign-query-request.ts';
import { OneSocketHttp } from '../../test/support/one-socket-http.ts';

export interface RawHttpRequest {
  method: string;
  /** Path and query string, e.g. `/?Action=ListUsers`. */
  path: string;
  /** In the order sent; a name may repeat. */
  headers: ReadonlyArray<readonly [string, string]>;
  body: Buffer;
}

export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface SignRequestOptions {
  body: string | Buffer;
  credentials?: QueryCredentials;
  service?: string;
  region?: string;
  method?: string;
  /** Query string parameters in order (a name may repeat), signed with the request. */
  query?: ReadonlyArray<readonly [string, string]>;
  /** Signing time; default the endpoint's clock. */
  date?: Date;
  /** More headers to sign and send (content-type and host are there already). */
  headers?: Record<string, string>;
  /** Sent but not signed. */
  unsignableHeaders?: ReadonlySet<string>;
}

export interface FuzzIamEndpoint {
  server: IamServer;
  /** The endpoint's clock (milliseconds); `shift` moves it, e.g. to make sessions expire. */
  clock: { now: () => number; shift: (ms: number) => void };
  send(request: RawHttpRequest): Promise<HttpAnswer>;
  /** A request as a real client signs it, with headers in the signer's order. */
  signedRequest(options: SignRequestOptions): Promise<RawHttpRequest>;
  /** Errors the server logged since the last call: each is an internal failure, a finding. */
  takeLoggedErrors(): string[];
  close(): Promise<void>;
}

export async function startFuzzIamEndpoint(): Promise<FuzzIamEndpoint> {
  const logged: string[] = [];
  let offset = 0;
  const now = (): number => Date.now() + offset;
  const server = await startIamServer({
    port: 0,
    clock: now,
    logger: { info: () => {}, error: (message, error) => logged.push(`${message}: ${error instanceof Error ? error.stack : String(error)}`) },
  });
  const { host } = new URL(server.url);

  const http = new OneSocketHttp({ host: server.host, port: server.port });
  const send = async (request: RawHttpRequest): Promise<HttpAnswer> => {
    const { status, headers, text } = await http.send({ ...request, omitHost: true });
    return { status, headers, body: text };
  };

  const signedRequest = async ({ body, credentials = server.rootCredentials, service, region, method = 'POST', query = [], date = new Date(now()), headers = {}, unsignableHeaders }: SignRequestOptions): Promise<RawHttpRequest> => {
    const bytes = typeof body === 'string' ? Buffer.from(body) : body;
    const toSign = { host, 'content-type': FORM_CONTENT_TYPE, ...headers };
    const signed = await signQueryRequest({ url: server.url, credentials, body: bytes, headers: toSign, service, region, method, signingDate: date, query: queryRecord(query), unsignableHeaders });
    const search = new URLSearchParams(query as Array<[string, string]>).toString();
    return {
      method,
      path: search === '' ? '/' : `/?${search}`,
      headers: [...Object.entries(signed), ['content-length', String(bytes.length)]],
      body: bytes,
    };
  };

  return {
    server,
    clock: { now, shift: (ms) => void (offset += ms) },
    send,
    signedRequest,
    takeLoggedErrors: () => logged.splice(0),
    close: async () => {
      http.close();
      await server.close();
    },
  };
}

/** Query parameters as the signer takes them: a repeated name's values in a list. */
function queryRecord(pairs: ReadonlyArray<readonly [string, string]>): Record<string, string | string[]> {
  const record: Record<string, string | string[]> = {};
  for (const [name, value] of pairs) {
    const prior = record[name];
    record[name] = prior === undefined ? value : [...[prior].flat(), value];
  }
  return record;
}

/** An IAM user with an access key, made straight in the store (setup, not under test). */
export function createUserWithKey(server: IamServer, userName: string, policyArns: readonly string[] = []): Credentials {
  const { store } = server;
  return store.transaction(() => {
    store.users.create({ userName });
    for (const arn of policyArns) store.policies.attach('user', userName, arn);
    const key = store.accessKeys.create(userName);
    return { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey };
  });
}
