// The mock console, mounted at /console on the mock IAM's own express app (one origin, so the
// console is http://localhost:4566/console and WebAuthn's RP ID is `localhost`). This is where the
// console is wired: options, sessions, the relying party, static assets, body parsers, security
// headers, the page routes, and the handlers for unknown pages and unreadable bodies.
import { readFileSync } from 'node:fs';
import express, { type ErrorRequestHandler, type Router } from 'express';
import type { IamServer } from '../iam/server.ts';
import { BASE, fail, type ConsoleConfig, type ConsoleDeps, type ConsoleLogger, type RouteContext } from './context.ts';
import { RelyingParty } from './relying-party.ts';
import { iamPageRoutes } from './routes/iam-pages.ts';
import { policyRoutes } from './routes/policies.ts';
import { securityCredentialRoutes } from './routes/security-credentials.ts';
import { securityKeyRoutes } from './routes/security-key.ts';
import { signInRoutes } from './routes/sign-in.ts';
import { userRoutes } from './routes/users.ts';
import { ConsoleSessions } from './session-store.ts';

export interface ConsoleOptions {
  /** The origin browsers reach the console at; default `http://localhost:PORT` of the server. */
  origin?: string;
  /** The WebAuthn RP ID; default the origin's host name. */
  rpId?: string;
  /** The relying party name a browser may show. */
  rpName?: string;
  /** How long a signed-in session lasts. */
  sessionTtlMs?: number;
  /** How long the sign-in (password, then MFA) may take. */
  signInTtlMs?: number;
  /** How long a browser may wait for a touch (the WebAuthn `timeout`). */
  webauthnTimeoutMs?: number;
  /** Milliseconds since the epoch; tests move it to expire sessions. */
  clock?: () => number;
  /** Where sign-in and registration events and internal failures go (never secrets). */
  logger?: ConsoleLogger;
  /** Sessions kept at most (the oldest are dropped beyond it). */
  maxSessions?: number;
}

export interface MountedConsole {
  /** The console's entry page, e.g. `http://localhost:4566/console`. */
  url: string;
  origin: string;
  rpId: string;
}

const NO_LOG: ConsoleLogger = { info: () => {}, error: () => {} };

const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  // same-origin, not no-referrer: with no-referrer Chromium sends `Origin: null` on form posts.
  'referrer-policy': 'same-origin',
};

function assetRoutes(router: Router): void {
  const asset = (name: string) => readFileSync(new URL(`./assets/${name}`, import.meta.url), 'utf8');
  const css = asset('console.css');
  const js = asset('console.js');
  router.get('/assets/console.css', (_req, res) => void res.type('text/css').set('cache-control', 'no-cache').send(css));
  router.get('/assets/console.js', (_req, res) => void res.type('text/javascript').set('cache-control', 'no-cache').send(js));
}

export function mountConsole(
  server: IamServer,
  {
    origin = `http://localhost:${server.port}`,
    rpId = new URL(origin).hostname,
    rpName = 'keyloop console',
    sessionTtlMs = 60 * 60 * 1000,
    signInTtlMs = 10 * 60 * 1000,
    webauthnTimeoutMs = 60_000,
    clock = Date.now,
    logger = NO_LOG,
    maxSessions,
  }: ConsoleOptions = {},
): MountedConsole {
  const normalizedOrigin = new URL(origin).origin;
  const config: ConsoleConfig = {
    origin: normalizedOrigin,
    secure: normalizedOrigin.startsWith('https:'),
    sessionTtlMs,
    signInTtlMs,
    // A challenge outlives the browser's own timeout a little, for the round trip to verify it.
    ceremonyTtlMs: webauthnTimeoutMs + 30_000,
  };
  const deps: ConsoleDeps = {
    server,
    sessions: new ConsoleSessions({ clock, maxSessions }),
    rp: new RelyingParty({ rpId, rpName, origin: normalizedOrigin, timeoutMs: webauthnTimeoutMs }),
    config,
    clock,
    logger,
  };

  const router = express.Router();
  router.use((_req, res, next) => {
    res.set(SECURITY_HEADERS);
    next();
  });
  assetRoutes(router);
  router.use(express.urlencoded({ extended: false, limit: '256kb' }));
  router.use(express.json({ limit: '64kb' }));
  signInRoutes(router, deps);
  iamPageRoutes(router, deps);
  userRoutes(router, deps);
  policyRoutes(router, deps);
  securityCredentialRoutes(router, deps);
  securityKeyRoutes(router, deps);
  router.use((req, res) => {
    const ctx: RouteContext = { deps, req, res, session: undefined };
    fail(ctx, req.path.startsWith('/api/') ? 'json' : 'page', 404, { code: 'NotFound', message: `There is no console page at ${req.originalUrl}.` });
  });
  // Bodies the parsers refused (malformed JSON, too large) end here, as the request's own error.
  const unreadable: ErrorRequestHandler = (error: { status?: unknown }, req, res, _next) => {
    const status = typeof error.status === 'number' && error.status >= 400 && error.status < 500 ? error.status : 500;
    if (status === 500) logger.error(`console ${req.method} ${req.path} failed`, error);
    const ctx: RouteContext = { deps, req, res, session: undefined };
    fail(ctx, req.path.startsWith('/api/') ? 'json' : 'page', status, { code: status === 413 ? 'RequestEntityTooLarge' : 'BadRequest', message: 'The console could not read this request.' });
  };
  router.use(unreadable);
  server.app.use(BASE, router);

  const url = `${normalizedOrigin}${BASE}`;
  logger.info(`console: ${url} (WebAuthn RP ID ${rpId})`);
  return { url, origin: normalizedOrigin, rpId };
}
