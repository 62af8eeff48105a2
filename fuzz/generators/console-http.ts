// HTTP/1.1 to the mock console as the fuzz targets need it: any method, header and body bytes
// (fetch and ConsoleClient normalize what a fuzzer wants to get wrong) over one kept-alive
// socket, and the pieces of an answer the properties read: status, content type, Location,
// Set-Cookie, body text.
import type { OutgoingHttpHeaders } from 'node:http';
import { OneSocketHttp } from '../../test/support/one-socket-http.ts';

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
  readonly #http: OneSocketHttp;

  constructor({ port }: { port: number }) {
    this.#http = new OneSocketHttp({ host: '127.0.0.1', port });
  }

  async send({ method, path, headers = {}, body }: ConsoleRequest): Promise<ConsoleResponse> {
    const length = body === undefined ? undefined : typeof body === 'string' ? Buffer.byteLength(body) : body.length;
    const answer = await this.#http.send({ method, path, body, headers: { ...(length === undefined ? {} : { 'content-length': length }), ...headers } });
    return {
      status: answer.status,
      contentType: answer.headers['content-type'] ?? '',
      location: answer.headers.location,
      setCookie: answer.headers['set-cookie'] ?? [],
      text: answer.text,
    };
  }

  close(): void {
    this.#http.close();
  }
}

/** The `name=value` pair of a Set-Cookie line, to send back in a Cookie header. */
export const cookiePair = (setCookie: string): string => setCookie.split(';')[0].trim();
