// A raw HTTP/1.1 client over one kept-alive socket, for suites that must send exactly the bytes
// they mean (fetch and the AWS SDK normalize what a fuzzer or a load worker wants to control):
// any method, headers in order (repeated names too), any body; redirects are not followed.
import { Agent, request, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';

export interface RawRequest {
  method: string;
  /** Path and query, already percent-encoded as they go on the request line. */
  path: string;
  /** An object, or name/value pairs in the order sent (a name may repeat). */
  headers?: OutgoingHttpHeaders | ReadonlyArray<readonly [string, string]>;
  body?: string | Uint8Array;
  /** Send no Host header of our own (the pairs carry the one that was signed). */
  omitHost?: boolean;
}

export interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

export interface OneSocketHttpOptions {
  host: string;
  port: number;
  /** Rejects with code TIMEOUT when an answer takes longer; none by default. */
  timeoutMs?: number;
}

export class OneSocketHttp {
  readonly #host: string;
  readonly #port: number;
  readonly #timeoutMs: number | undefined;
  readonly #agent = new Agent({ keepAlive: true, maxSockets: 1 });
  #opened = 0;

  constructor({ host, port, timeoutMs }: OneSocketHttpOptions) {
    this.#host = host;
    this.#port = port;
    this.#timeoutMs = timeoutMs;
  }

  /** TCP connections opened so far (1 while the server keeps the socket alive). */
  get connectionsOpened(): number {
    return this.#opened;
  }

  send({ method, path, headers = {}, body, omitHost = false }: RawRequest): Promise<RawAnswer> {
    return new Promise((resolve, reject) => {
      const outgoing = request(
        // Node takes a flat [name, value, name, value, ...] list as raw headers, order and repeats kept.
        { host: this.#host, port: this.#port, method, path, agent: this.#agent, setHost: !omitHost, headers: (Array.isArray(headers) ? headers.flat() : headers) as OutgoingHttpHeaders },
        (response) => {
          if (!outgoing.reusedSocket) this.#opened++;
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, text: Buffer.concat(chunks).toString('utf8') }));
        },
      );
      const timeoutMs = this.#timeoutMs;
      if (timeoutMs !== undefined) outgoing.setTimeout(timeoutMs, () => outgoing.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'TIMEOUT' })));
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  }

  close(): void {
    this.#agent.destroy();
  }
}
