// The mock IAM and STS endpoint: an express app serving the Query API on `POST /` and `GET /` (and
// answering any other method on `/` with an AWS error), a thin HTTP adapter around handleIamRequest.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express, type Request, type Response } from 'express';
import type { ActionResult } from './actions/action.ts';
import { findAction } from './actions/table.ts';
import { createAuthorizer, type Authorize } from './authorize.ts';
import { sourceIpOf } from './caller.ts';
import { IamError } from './errors.ts';
import { createIdSource, type RandomSource } from './ids.ts';
import { errorResponse, handleIamRequest, invokeAction, type CallerRequest, type Credentials, type IamHttpResponse, type IamLogger, type IamRequestEvent, type PipelineDeps } from './pipeline.ts';
import { QueryParams } from './query-params.ts';
import { openIamStore, type IamStore } from './store/store.ts';

/** The AWS documentation's example account and key pair. */
export const DEFAULT_ACCOUNT_ID = '123456789012';
export const DEFAULT_ROOT_CREDENTIALS: Credentials = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};
export const DEFAULT_IAM_PORT = 4566;

const NO_LOG: IamLogger = { info: () => {}, error: () => {} };

export interface IamServerOptions {
  /** Interface to listen on. */
  host?: string;
  /** TCP port; 0 picks a free one. */
  port?: number;
  /** Directory of the SQLite state; undefined keeps the state in memory. */
  stateDir?: string;
  /** The 12-digit account id. */
  accountId?: string;
  /** The root user's access key pair. */
  rootCredentials?: Credentials;
  /** Where the endpoint and credentials are announced and internal failures reported. */
  logger?: IamLogger;
  /** Milliseconds since the epoch; tests move it to reach the next TOTP code. */
  clock?: () => number;
  /** Randomness for ids, keys and TOTP seeds. */
  random?: RandomSource;
  /** Larger request bodies are refused before they are parsed. */
  maxBodyBytes?: number;
  /** Called after every request with what happened to it. */
  onRequest?: (event: IamRequestEvent) => void;
}

/** One IAM action for a caller the console has authenticated (its session's Caller). */
export interface InvokeRequest extends Omit<CallerRequest, 'now'> {
  /** The Query API action name, e.g. `ListMFADevices`. */
  action: string;
  /** Parameters as the Query API names them (lists as `Name.member.N`). */
  params: Readonly<Record<string, string>>;
}

export interface IamServer {
  url: string;
  host: string;
  port: number;
  accountId: string;
  rootCredentials: Credentials;
  store: IamStore;
  /** The express app, for mounting more routes (the console) on the same origin. */
  app: Express;
  /** Policy evaluation for a principal, as the endpoint itself does it. */
  authorize: Authorize;
  /**
   * Validate, authorize and run one IAM action as `caller`, through the same pipeline stages as a
   * signed request (the console's backend). Rejects with IamError.
   */
  invoke(request: InvokeRequest): Promise<ActionResult>;
  close(): Promise<void>;
}

type BodyResult = { body: Buffer } | { tooLarge: true };

function readBody(req: Request, maxBytes: number): Promise<BodyResult> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxBytes) return Promise.resolve({ tooLarge: true });
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        req.removeAllListeners('data');
        req.pause();
        resolve({ tooLarge: true });
      } else {
        chunks.push(chunk);
      }
    });
    req.on('end', () => resolve({ body: Buffer.concat(chunks) }));
    req.on('error', reject);
  });
}

function send(res: Response, answer: IamHttpResponse, close = false): void {
  const headers: Record<string, string | number> = { ...answer.headers, 'content-length': Buffer.byteLength(answer.body) };
  // The rest of an oversized body is never read, so the connection cannot carry another request.
  if (close) headers.connection = 'close';
  res.writeHead(answer.status, headers).end(answer.body);
}

export function createIamApp(deps: PipelineDeps, maxBodyBytes: number): Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.all('/', async (req, res) => {
    try {
      const read = await readBody(req, maxBodyBytes);
      if ('tooLarge' in read) {
        send(res, errorResponse(new IamError('RequestEntityTooLarge', `Request body is larger than ${maxBodyBytes} bytes.`)), true);
        return;
      }
      const answer = await handleIamRequest(deps, {
        method: req.method,
        url: req.originalUrl,
        headers: req.headers,
        body: read.body,
        sourceIp: sourceIpOf(req.socket.remoteAddress),
        secure: req.secure,
      });
      send(res, answer);
    } catch (error) {
      deps.logger.error('reading the request failed', error);
      if (!res.headersSent) send(res, errorResponse(new IamError('ServiceFailure', 'The request could not be read.')), true);
    }
  });
  return app;
}

export async function startIamServer({
  host = '127.0.0.1',
  port = DEFAULT_IAM_PORT,
  stateDir,
  accountId = DEFAULT_ACCOUNT_ID,
  rootCredentials = DEFAULT_ROOT_CREDENTIALS,
  logger = NO_LOG,
  clock = Date.now,
  random,
  maxBodyBytes = 1024 * 1024,
  onRequest,
}: IamServerOptions = {}): Promise<IamServer> {
  const ids = createIdSource(random);
  const store = openIamStore({ stateDir, accountId, clock, ids });
  const authorize = createAuthorizer({ store });
  const deps: PipelineDeps = { store, authorize, rootCredentials, ids, clock, logger, onRequest };
  const app = createIamApp(deps, maxBodyBytes);
  let server: Server;
  try {
    server = await new Promise<Server>((resolve, reject) => {
      const listening = app.listen(port, host, (error?: Error) => (error ? reject(error) : resolve(listening)));
      listening.once('error', reject);
    });
  } catch (error) {
    store.close();
    throw error;
  }
  const boundPort = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${boundPort}`;
  logger.info(`IAM and STS endpoint: ${url} (account ${accountId}, state ${stateDir ?? 'in memory'})`);
  logger.info(`root credentials: AWS_ACCESS_KEY_ID=${rootCredentials.accessKeyId} AWS_SECRET_ACCESS_KEY=${rootCredentials.secretAccessKey}`);
  return {
    url,
    host,
    port: boundPort,
    accountId,
    rootCredentials,
    store,
    app,
    authorize,
    invoke: async ({ action: name, params, ...request }) => {
      const action = findAction('iam', name);
      if (!action) throw new IamError('InvalidAction', `Could not find operation ${name} for version 2010-05-08`);
      return invokeAction(deps, { ...request, action, query: new QueryParams(new Map(Object.entries(params))), now: clock() });
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => {
          store.close();
          if (error) reject(error);
          else resolve();
        });
        server.closeAllConnections();
      }),
  };
}
