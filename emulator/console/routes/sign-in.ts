// Sign-in and sign-out. The password step checks the account (id or alias), the IAM user and its
// login profile; a user with MFA devices must then prove one: a security key through a WebAuthn
// assertion (the JSON endpoints below, called by the page script) or an authenticator app code.
// Only then does the session act as the user, with aws:MultiFactorAuthPresent true.
import type { Router } from 'express';
import { findCode, totpStep } from '../../iam/totp.ts';
import {
  BASE,
  clearSessionCookie,
  consoleCaller,
  fail,
  field,
  publicRoute,
  redirect,
  render,
  sendJson,
  startSession,
  type ConsoleDeps,
  type RouteContext,
} from '../context.ts';
import { mfaStep, signInForm, type SignInFormValues } from '../views/sign-in.ts';
import type { Alert } from '../views/layout.ts';

const INCORRECT = 'Your authentication information is incorrect. Please try again.';

/** Account as typed: the 12-digit id (with or without the console's dashes) or the alias. */
function isThisAccount(deps: ConsoleDeps, typed: string): boolean {
  const { accountId, store } = deps.server;
  const trimmed = typed.trim();
  return trimmed.replace(/^(\d{4})-(\d{4})-(\d{4})$/, '$1$2$3') === accountId || (store.accountAlias !== undefined && trimmed.toLowerCase() === store.accountAlias);
}

function showSignIn(ctx: RouteContext, values: SignInFormValues, alert?: Alert, status = 200): void {
  render(ctx, { title: 'Sign in', alert, body: signInForm({ csrfToken: ctx.session?.csrfToken, values }) }, status);
}

function pendingUser(ctx: RouteContext): string | undefined {
  const state = ctx.session?.state;
  return state?.kind === 'mfa-required' ? state.userName : undefined;
}

function showMfaStep(ctx: RouteContext, userName: string, alert?: Alert, status = 200): void {
  const { mfa } = ctx.deps.server.store;
  const devices = mfa.listForUser(userName);
  render(
    ctx,
    {
      title: 'Multi-factor authentication',
      alert,
      body: mfaStep({
        csrfToken: ctx.session?.csrfToken,
        userName,
        hasSecurityKey: devices.some((device) => device.kind === 'security-key'),
        hasAuthenticatorApp: devices.some((device) => device.kind === 'virtual'),
      }),
    },
    status,
  );
}

function signedIn(ctx: RouteContext, userName: string, mfaSerial: string | undefined): void {
  const { deps } = ctx;
  deps.logger.info(`console: ${userName} signed in ${mfaSerial === undefined ? 'without MFA' : `with ${mfaSerial}`}`);
  startSession(ctx, { kind: 'signed-in', caller: consoleCaller(deps, userName, mfaSerial), userName, mfaSerial }, deps.config.sessionTtlMs);
}

/** The serial of the user's authenticator app that shows `code` now and has not shown it before. */
function acceptCode(deps: ConsoleDeps, userName: string, code: string): string | undefined {
  const { mfa } = deps.server.store;
  const now = totpStep(deps.clock());
  for (const assigned of mfa.listForUser(userName)) {
    if (assigned.kind !== 'virtual') continue;
    const device = mfa.findVirtual(assigned.serialNumber);
    if (!device) continue;
    // As STS GetSessionToken checks a code: one step either side of the device's known drift,
    // never a step at or before the last one used.
    const step = findCode({ seedBase32: device.seedBase32, aroundStep: now + device.driftSteps, window: 1, after: device.lastStep }, code);
    if (step === undefined) continue;
    mfa.recordVirtualUse(device.serialNumber, { lastStep: step, driftSteps: device.driftSteps });
    return device.serialNumber;
  }
  return undefined;
}

export function signInRoutes(router: Router, deps: ConsoleDeps): void {
  router.get('/', publicRoute(deps, async (ctx) => redirect(ctx, ctx.session?.state.kind === 'signed-in' ? `${BASE}/home` : `${BASE}/signin`)));

  router.get(
    '/signin',
    publicRoute(deps, async (ctx) => {
      if (ctx.session?.state.kind === 'signed-in') return redirect(ctx, `${BASE}/home`);
      // The form's CSRF token needs a session, even before anyone signs in.
      if (!ctx.session) startSession(ctx, { kind: 'anonymous' }, deps.config.signInTtlMs);
      showSignIn(ctx, { account: '', userName: '' });
    }),
  );

  router.post(
    '/signin',
    publicRoute(deps, async (ctx) => {
      const values = { account: field(ctx.req, 'account') ?? '', userName: field(ctx.req, 'username') ?? '' };
      const password = field(ctx.req, 'password') ?? '';
      const { store } = deps.server;
      const user = values.userName === '' ? undefined : store.users.find(values.userName);
      const valid = user !== undefined && isThisAccount(deps, values.account) && store.loginProfiles.verifyPassword(user.userName, password);
      if (!valid) return showSignIn(ctx, values, { kind: 'error', code: 'InvalidCredentials', title: 'Sign-in failed', message: INCORRECT }, 401);
      if (store.mfa.listForUser(user.userName).length > 0) {
        startSession(ctx, { kind: 'mfa-required', userName: user.userName }, deps.config.signInTtlMs);
        return redirect(ctx, `${BASE}/signin/mfa`);
      }
      signedIn(ctx, user.userName, undefined);
      redirect(ctx, `${BASE}/home`);
    }),
  );

  router.get(
    '/signin/mfa',
    publicRoute(deps, async (ctx) => {
      const userName = pendingUser(ctx);
      if (userName === undefined) return redirect(ctx, `${BASE}/signin`);
      showMfaStep(ctx, userName);
    }),
  );

  router.post(
    '/signin/mfa-code',
    publicRoute(deps, async (ctx) => {
      const userName = pendingUser(ctx);
      if (userName === undefined) return redirect(ctx, `${BASE}/signin`);
      const code = field(ctx.req, 'code') ?? '';
      const serial = /^\d{6}$/.test(code) ? deps.server.store.transaction(() => acceptCode(deps, userName, code)) : undefined;
      if (serial === undefined) {
        return showMfaStep(ctx, userName, { kind: 'error', code: 'InvalidAuthenticationCode', message: 'The MFA code is not valid. Wait for the next code and try again.' }, 401);
      }
      signedIn(ctx, userName, serial);
      redirect(ctx, `${BASE}/home`);
    }),
  );

  router.post(
    '/api/signin/options',
    publicRoute(
      deps,
      async (ctx) => {
        const userName = pendingUser(ctx);
        if (userName === undefined || !ctx.session) return fail(ctx, 'json', 401, { code: 'NotSignedIn', message: 'Sign in with your password first.' });
        const keys = deps.server.store.mfa.listSecurityKeys(userName);
        if (keys.length === 0) return fail(ctx, 'json', 400, { code: 'NoSecurityKey', message: `${userName} has no security key.` });
        const options = await deps.rp.authenticationOptions(keys);
        deps.sessions.beginCeremony(ctx.session, { kind: 'authentication', challenge: options.challenge, deviceName: undefined }, deps.config.ceremonyTtlMs);
        sendJson(ctx, { ok: true, options });
      },
      'json',
    ),
  );

  router.post(
    '/api/signin/verify',
    publicRoute(
      deps,
      async (ctx) => {
        const userName = pendingUser(ctx);
        if (userName === undefined || !ctx.session) return fail(ctx, 'json', 401, { code: 'NotSignedIn', message: 'Sign in with your password first.' });
        const ceremony = deps.sessions.takeCeremony(ctx.session, 'authentication');
        if (!ceremony) {
          return fail(ctx, 'json', 400, { code: 'no-ceremony', message: 'No security key request is pending: its challenge was already used or has expired. Try again.' });
        }
        const { store } = deps.server;
        const body: unknown = ctx.req.body;
        const credential = typeof body === 'object' && body !== null ? (body as Record<string, unknown>).credential : undefined;
        const user = store.users.get(userName);
        const outcome = await deps.rp.verifyAuthentication(credential, ceremony.challenge, store.mfa.listSecurityKeys(userName), Buffer.from(user.userId));
        if (!outcome.ok) return fail(ctx, 'json', 400, { code: outcome.code, message: outcome.message });
        const { key, newCounter } = outcome.value;
        // Re-read under the write: a concurrent sign-in with the same counter must not pass too.
        const stored = store.transaction(() => {
          const current = store.mfa.findSecurityKey(key.serialNumber);
          if (!current || (newCounter <= current.counter && (newCounter > 0 || current.counter > 0))) return false;
          store.mfa.updateSecurityKeyCounter(key.serialNumber, newCounter);
          return true;
        });
        if (!stored) return fail(ctx, 'json', 400, { code: 'counter-not-increased', message: "The security key's signature counter did not increase; the key may have been cloned." });
        signedIn(ctx, userName, key.serialNumber);
        sendJson(ctx, { ok: true, redirect: `${BASE}/home` });
      },
      'json',
    ),
  );

  router.post(
    '/signout',
    publicRoute(deps, async (ctx) => {
      if (ctx.session) deps.sessions.delete(ctx.session.id);
      ctx.session = undefined;
      clearSessionCookie(ctx);
      redirect(ctx, `${BASE}/signin`);
    }),
  );
}
