// What every console route shares: its dependencies, the session read from the cookie, the CSRF
// check on every state-changing request, the signed-in gate, and the ways a route answers (a
// page, a redirect, JSON). Handlers are wrapped so that a failure of one request becomes an
// error page for that request, never a crashed server.
import type { Request, RequestHandler, Response } from 'express';
import { sourceIpOf, type Caller } from '../iam/caller.ts';
import type { IamServer } from '../iam/server.ts';
import { constantTimeEqual } from '../util/constant-time.ts';
import { consoleIam, type ConsoleIam } from './console-iam.ts';
import { readCookie, SESSION_COOKIE, sessionCookie } from './cookies.ts';
import type { SafeHtml } from './html.ts';
import type { RelyingParty } from './relying-party.ts';
import type { ConsoleSession, ConsoleSessions, SessionState } from './session-store.ts';
import { errorPage, layout, type Alert, type LayoutOptions } from './views/layout.ts';

export interface ConsoleLogger {
  info(message: string): void;
  error(message: string, error?: unknown): void;
}

export interface ConsoleConfig {
  /** The console's origin as browsers see it, e.g. `http://localhost:4566`. */
  origin: string;
  /** Cookies get `Secure` when the origin is https. */
  secure: boolean;
  /** How long a signed-in session lasts. */
  sessionTtlMs: number;
  /** How long a sign-in may take, password to MFA. */
  signInTtlMs: number;
  /** How long a WebAuthn challenge stays good. */
  ceremonyTtlMs: number;
}

export interface ConsoleDeps {
  server: Pick<IamServer, 'store' | 'invoke' | 'authorize' | 'accountId'>;
  sessions: ConsoleSessions;
  rp: RelyingParty;
  config: ConsoleConfig;
  clock: () => number;
  logger: ConsoleLogger;
}

export type SignedInState = Extract<SessionState, { kind: 'signed-in' }>;

export interface RouteContext {
  deps: ConsoleDeps;
  req: Request;
  res: Response;
  session: ConsoleSession | undefined;
}

export interface SignedInContext extends RouteContext {
  session: ConsoleSession;
  signedIn: SignedInState;
  /** IAM as the signed-in user. */
  iam: ConsoleIam;
}

/** Pages answer failures with HTML, the WebAuthn endpoints with JSON. */
export type Answer = 'page' | 'json';

export const BASE = '/console';

const SAFE_METHODS = new Set(['GET', 'HEAD']);

/** A form field of a urlencoded body, or undefined (also for repeated or non-string fields). */
export function field(req: Request, name: string): string | undefined {
  const body: unknown = req.body;
  if (typeof body !== 'object' || body === null) return undefined;
  const value = (body as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

/** Every value of a repeated form field (checkboxes, table rows), in order. */
export function fieldValues(req: Request, name: string): string[] {
  const body: unknown = req.body;
  const value = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : undefined;
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** A query-string parameter, or undefined. */
export function queryParam(req: Request, name: string): string | undefined {
  const value = req.query[name];
  return typeof value === 'string' ? value : undefined;
}

function csrfTokenMatches(req: Request, session: ConsoleSession | undefined): boolean {
  if (!session) return false;
  const sent = field(req, '_csrf') ?? req.get('x-csrf-token');
  return sent !== undefined && constantTimeEqual(sent, session.csrfToken);
}

/** Browsers name the page that sent a request; one from elsewhere is refused whatever it carries. */
function fromOwnOrigin(req: Request, origin: string): boolean {
  const sent = req.get('origin');
  if (sent !== undefined) return sent === origin;
  return req.get('sec-fetch-site') !== 'cross-site';
}

export function sendPage(ctx: RouteContext, page: SafeHtml, status = 200): void {
  ctx.res.status(status).type('html').set('cache-control', 'no-store').send(page.text);
}

export function sendJson(ctx: RouteContext, body: unknown, status = 200): void {
  ctx.res.status(status).set('cache-control', 'no-store').json(body);
}

export function redirect(ctx: RouteContext, location: string): void {
  ctx.res.redirect(303, location);
}

/** Page chrome for the current session: the CSRF token and, when signed in, the account menu. */
export function render(ctx: RouteContext, options: Omit<LayoutOptions, 'csrfToken' | 'identity'>, status = 200): void {
  const state = ctx.session?.state;
  const { accountId, store } = ctx.deps.server;
  const identity = state?.kind === 'signed-in' ? { userName: state.userName, account: store.accountAlias ?? accountId } : undefined;
  sendPage(ctx, layout({ ...options, csrfToken: ctx.session?.csrfToken, identity }), status);
}

/** Answer a failure in the form the route speaks. */
export function fail(ctx: RouteContext, answer: Answer, status: number, alert: Required<Pick<Alert, 'code' | 'message'>>): void {
  if (answer === 'json') sendJson(ctx, { ok: false, code: alert.code, message: alert.message }, status);
  else sendPage(ctx, errorPage({ csrfToken: ctx.session?.csrfToken, alert: { kind: 'error', ...alert } }), status);
}

/** Sets the cookie for `session`, expiring with it. */
export function setSessionCookie(ctx: RouteContext, session: ConsoleSession): void {
  const maxAgeSeconds = (session.expiresAt - ctx.deps.clock()) / 1000;
  ctx.res.append('set-cookie', sessionCookie({ value: session.id, maxAgeSeconds, secure: ctx.deps.config.secure }));
}

export function clearSessionCookie(ctx: RouteContext): void {
  ctx.res.append('set-cookie', sessionCookie({ value: '', maxAgeSeconds: 0, secure: ctx.deps.config.secure }));
}

/** Replaces the request's session with a new one in `state` (new id and CSRF token). */
export function startSession(ctx: RouteContext, state: SessionState, ttlMs: number): ConsoleSession {
  const { sessions } = ctx.deps;
  const session = ctx.session ? sessions.replace(ctx.session, state, ttlMs) : sessions.create(state, ttlMs);
  ctx.session = session;
  setSessionCookie(ctx, session);
  return session;
}

function wrap(deps: ConsoleDeps, answer: Answer, body: (ctx: RouteContext) => Promise<void>): RequestHandler {
  return async (req, res) => {
    const ctx: RouteContext = { deps, req, res, session: deps.sessions.find(readCookie(req.headers.cookie, SESSION_COOKIE)) };
    try {
      if (!SAFE_METHODS.has(req.method) && (!fromOwnOrigin(req, deps.config.origin) || !csrfTokenMatches(req, ctx.session))) {
        fail(ctx, answer, 403, {
          code: 'InvalidCsrfToken',
          message: 'This request could not be verified: its form is stale or came from another site. Reload the page and try again.',
        });
        return;
      }
      await body(ctx);
    } catch (error) {
      deps.logger.error(`console ${req.method} ${req.path} failed`, error);
      if (!res.headersSent) fail(ctx, answer, 500, { code: 'InternalFailure', message: 'The console could not complete this request.' });
    }
  };
}

/** A route anyone may reach (the sign-in pages). */
export function publicRoute(deps: ConsoleDeps, handler: (ctx: RouteContext) => Promise<void>, answer: Answer = 'page'): RequestHandler {
  return wrap(deps, answer, handler);
}

/** A route for a signed-in user; others are sent to sign in. */
export function signedInRoute(deps: ConsoleDeps, handler: (ctx: SignedInContext) => Promise<void>, answer: Answer = 'page'): RequestHandler {
  return wrap(deps, answer, async (ctx) => {
    const session = ctx.session;
    const state = session?.state;
    // A user deleted while signed in loses the session, as their temporary credentials stop working.
    if (!session || state?.kind !== 'signed-in' || !deps.server.store.users.find(state.userName)) {
      if (session && state?.kind === 'signed-in') deps.sessions.delete(session.id);
      if (answer === 'json') fail(ctx, answer, 401, { code: 'NotSignedIn', message: 'Your session has ended. Sign in again.' });
      else redirect(ctx, `${BASE}/signin`);
      return;
    }
    const iam = consoleIam({
      server: deps.server,
      caller: state.caller,
      sourceIp: sourceIpOf(ctx.req.socket.remoteAddress),
      secureTransport: deps.config.secure,
      clock: deps.clock,
    });
    await handler({ ...ctx, session, signedIn: state, iam });
  });
}

/** The Caller a console session acts as: an IAM user with STS temporary credentials. */
export function consoleCaller(deps: ConsoleDeps, userName: string, mfaSerial: string | undefined): Caller {
  const { store, accountId } = deps.server;
  const user = store.users.get(userName);
  const session = store.sessions.create({ userName: user.userName, durationSeconds: Math.ceil(deps.config.sessionTtlMs / 1000), mfaSerial });
  return { kind: 'user', accountId, arn: user.arn, userId: user.userId, userName: user.userName, accessKeyId: session.accessKeyId, session };
}
