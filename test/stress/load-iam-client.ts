// One keep-alive HTTP connection to an IAM endpoint, as a load client uses it: SigV4-signed Query
// API requests one at a time (harness/iam/sign-query-request.ts), each answer parsed. Anything but
// a 200 carrying `<ActionResponse>` is an IamCallError with the AWS error code.
import { XMLParser } from 'fast-xml-parser';
import { FORM_CONTENT_TYPE, signQueryRequest, type QueryCredentials } from '../../harness/iam/sign-query-request.ts';
import { OneSocketHttp } from '../support/one-socket-http.ts';

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
  // One socket, kept alive: the connection a load worker stands for.
  readonly #http: OneSocketHttp;

  constructor({ url, credentials, timeoutMs = 10_000 }: IamConnectionOptions) {
    this.#url = new URL(url);
    this.#credentials = credentials;
    this.#http = new OneSocketHttp({ host: this.#url.hostname, port: Number(this.#url.port), timeoutMs });
  }

  /** TCP connections this client opened (1 while the server keeps it alive). */
  get connectionsOpened(): number {
    return this.#http.connectionsOpened;
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
    const { status, text } = await this.#http.send({ method: 'POST', path: '/', headers, body });
    const parsed = parser.parse(text) as { readonly [name: string]: XmlNode };
    if (status !== 200) throw new IamCallError(String(xmlAt(parsed, 'ErrorResponse.Error.Code') ?? `HTTP ${status}`), status, action);
    const response = parsed[`${action}Response`];
    if (response === undefined) throw new IamCallError(`no ${action}Response element`, status, action);
    return xmlAt(response, `${action}Result`) ?? '';
  }

  close(): void {
    this.#http.close();
  }
}
