// HTTP/1.1 to the mock console as the fuzz targets need it: any method, header and body bytes
// (fetch and ConsoleClient normalize what a fuzzer wants to get wrong), one keep-alive
// connection reused across inputs, redirects not followed, and the pieces of an answer the
// properties read: status, content type, Location, Set-Cookie, body text.
import { Agent, request, type OutgoingHttpHeaders } from 'node:http';

export interface ConsoleRequest {
  method: string;
  /** Path and query, already percent-encoded as they go on the request line. */
  path: string;
  headers?: OutgoingHttpHeaders;
  body?: string | Uint8Array;
}

export interface ConsoleResponse {
  status: number;
  contentType: string;
  location: string | undefined;
  setCookie: string[];
  text: string;
}

export class ConsoleHttp {
  readonly #port: number;
  readonly #agent = new Agent({ keepAlive: true, maxSockets: 1 });

  constructor({ port }: { port: number }) {
    this.#port = port;
  }

  send({ method, path, headers = {}, body }: ConsoleRequest): Promise<ConsoleResponse> {
    return new Promise((resolve, reject) => {
      const length = body === undefined ? undefined : typeof body === 'string' ? Buffer.byteLength(body) : body.length;
      const outgoing = request(
        {
          host: '127.0.0.1',
          port: this.#port,
          method,
          path,
          agent: this.#agent,
          headers: { ...(length === undefined ? {} : { 'content-length': length }), ...headers },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () =>
            resolve({
              status: response.statusCode ?? 0,
              contentType: response.headers['content-type'] ?? '',
              location: response.headers.location,
              setCookie: response.headers['set-cookie'] ?? [],
              text: Buffer.concat(chunks).toString('utf8'),
            }),
          );
        },
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  }

  close(): void {
    this.#agent.destroy();
  }
}

/** The `name=value` pair of a Set-Cookie line, to send back in a Cookie header. */
export const cookiePair = (setCookie: string): string => setCookie.split(';')[0].trim();
