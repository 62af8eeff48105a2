// One keep-alive HTTP connection to an IAM endpoint, as a load client uses it: SigV4-signed Query
// API requests one at a time (harness/iam/sign-query-request.ts), each answer parsed. Anything but
// a 200 carrying `<ActionResponse>` is an IamCallError with the AWS error code.
import { Agent, request } from 'node:http';
import { XMLParser } from 'fast-xml-parser';
import { FORM_CONTENT_TYPE, signQueryRequest, type QueryCredentials } from '../../harness/iam/sign-query-request.ts';

const VERSIONS = { iam: '2010-05-08', sts: '2011-06-15' } as const;
export type QueryService = keyof typeof VERSIONS;

export class IamCallError extends Error {
  override readonly name = 'IamCallError';
  constructor(
    /** The AWS error code, or `HTTP <status>` when the body carries none. */
    readonly code: string,
    readonly status: number,
    action: string,
  ) {
    super(`${action}: HTTP ${status} ${code}`);
  }
}

/** A parsed XML element: text, child elements by name, or a `member` list. */
export type XmlNode = string | { readonly [name: string]: XmlNode } | readonly XmlNode[];

// Lists are always arrays (a one-member list too); values stay text, as they are on the wire.
const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, isArray: (name) => name === 'member' });

/** The node at a dotted path of an answer, e.g. `User.UserName`; undefined if any step is missing. */
export function xmlAt(node: XmlNode | undefined, path: string): XmlNode | undefined {
  let current = node;
  for (const name of path.split('.')) {
    if (current === undefined || typeof current === 'string' || Array.isArray(current)) return undefined;
    current = (current as { readonly [name: string]: XmlNode })[name];
  }
  return current;
}

/** The members of a list at `path` (an empty list is an empty element). */
export function xmlMembers(node: XmlNode | undefined, path: string): XmlNode[] {
  const members = xmlAt(node, `${path}.member`);
  return Array.isArray(members) ? [...members] : [];
}

export interface IamConnectionOptions {
  /** The endpoint, e.g. `http://127.0.0.1:4566`. */
  url: string;
  credentials: QueryCredentials;
  /** Hang timeout of one request. */
  timeoutMs?: number;
}

export class IamConnection {
  readonly #url: URL;
  readonly #credentials: QueryCredentials;
  readonly #timeoutMs: number;
  // One socket, kept alive: the connection a load worker stands for.
  readonly #agent = new Agent({ keepAlive: true, maxSockets: 1 });
  /** TCP connections this client opened (1 while the server keeps it alive). */
  connectionsOpened = 0;

  constructor({ url, credentials, timeoutMs = 10_000 }: IamConnectionOptions) {
    this.#url = new URL(url);
    this.#credentials = credentials;
    this.#timeoutMs = timeoutMs;
  }

  /** Run `action`; its `<ActionResult>` element (empty for actions that return none). */
  async call(action: string, params: Record<string, string> = {}, service: QueryService = 'iam'): Promise<XmlNode> {
    const body = new URLSearchParams({ Action: action, Version: VERSIONS[service], ...params }).toString();
    const headers = await signQueryRequest({
      url: this.#url.href,
      credentials: this.#credentials,
      body,
      service,
      headers: { host: this.#url.host, 'content-type': FORM_CONTENT_TYPE, 'content-length': String(Buffer.byteLength(body)) },
    });
    const { status, text } = await this.#post(headers, body);
    const parsed = parser.parse(text) as { readonly [name: string]: XmlNode };
    if (status !== 200) throw new IamCallError(String(xmlAt(parsed, 'ErrorResponse.Error.Code') ?? `HTTP ${status}`), status, action);
    const response = parsed[`${action}Response`];
    if (response === undefined) throw new IamCallError(`no ${action}Response element`, status, action);
    return xmlAt(response, `${action}Result`) ?? '';
  }

  close(): void {
    this.#agent.destroy();
  }

  #post(headers: Record<string, string>, body: string): Promise<{ status: number; text: string }> {
    return new Promise((resolve, reject) => {
      const req = request({ host: this.#url.hostname, port: this.#url.port, path: '/', method: 'POST', headers, agent: this.#agent }, (res) => {
        if (!req.reusedSocket) this.connectionsOpened++;
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.setTimeout(this.#timeoutMs, () => req.destroy(Object.assign(new Error(`no answer within ${this.#timeoutMs} ms`), { code: 'TIMEOUT' })));
      req.on('error', reject);
      req.end(body);
    });
  }
}
