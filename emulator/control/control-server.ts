// The loopback HTTP control port of `keyloop up`: what a person does to a physical key (touch
// it) and what a test harness needs to set (the presence policy), for keys served over USB/IP
// and UDP. JSON in and out, no state of its own.
//
//   GET  /keys                               [{ busId, presence, product, ... }]
//   POST /touch[?busId=1-2]                  204; one touch for that key (default: the first)
//   POST /presence?policy=deny[&busId=1-2]   204; auto | manual | deny | delay:MS
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { formatPresencePolicy, parsePresencePolicy, type U2fToken } from '../token/index.ts';
import { DEFAULT_CONTROL_PORT } from './control-port.ts';

export interface ControlledKey {
  busId: string;
  token: U2fToken;
}

/** What GET /keys answers per key. */
export interface KeyStatus {
  busId: string;
  presence: string;
  vendorId: number;
  productId: number;
  product: string;
  serialNumber: string;
}

export interface ControlServerOptions {
  keys: readonly ControlledKey[];
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Extra facts GET /keys carries for every key (the USB/IP and UDP ports). */
  endpoints?: Record<string, unknown>;
}

export interface ControlServer {
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

class ControlError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

export async function startControlServer({ keys, host = '127.0.0.1', port = DEFAULT_CONTROL_PORT, endpoints = {} }: ControlServerOptions): Promise<ControlServer> {
  const keyFor = (url: URL): ControlledKey => {
    const busId = url.searchParams.get('busId') ?? keys[0].busId;
    const key = keys.find((k) => k.busId === busId);
    if (!key) throw new ControlError(404, `no key with bus id ${JSON.stringify(busId)} (have ${keys.map((k) => k.busId).join(', ')})`);
    return key;
  };
  const routes: Record<string, (url: URL) => unknown> = {
    'GET /keys': () => ({ ...endpoints, keys: keys.map(status) }),
    'POST /touch': (url) => void keyFor(url).token.touch(),
    'POST /presence': (url) => {
      const key = keyFor(url);
      try {
        key.token.presence = parsePresencePolicy(url.searchParams.get('policy') ?? '');
      } catch (error) {
        throw new ControlError(400, (error as Error).message);
      }
    },
  };
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://control');
    const route = routes[`${request.method} ${url.pathname}`];
    if (!route) {
      const known = Object.keys(routes).some((r) => r.endsWith(` ${url.pathname}`));
      return void response.writeHead(known ? 405 : 404, { 'content-type': 'text/plain' }).end(`${known ? 'method not allowed' : 'not found'}: ${request.method} ${url.pathname}\n`);
    }
    try {
      const body = route(url);
      if (body === undefined) return void response.writeHead(204).end();
      response.writeHead(200, { 'content-type': 'application/json' }).end(`${JSON.stringify(body)}\n`);
    } catch (error) {
      const status = error instanceof ControlError ? error.status : 500;
      response.writeHead(status, { 'content-type': 'text/plain' }).end(`${(error as Error).message}\n`);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  return {
    host: address.address,
    port: address.port,
    close: () => closeServer(server),
  };
}

function status({ busId, token }: ControlledKey): KeyStatus {
  const { vendorId, productId, product, serialNumber } = token.profile;
  return { busId, presence: formatPresencePolicy(token.presence), vendorId, productId, product, serialNumber };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}
