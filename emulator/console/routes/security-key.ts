// Registering a security key as an MFA device (the console-only path AWS offers): authorized as
// iam:EnableMFADevice on the user, at most 8 MFA devices, then a WebAuthn registration whose
// credential the store records under a u2f/ serial. The page script calls these JSON endpoints;
// every rejection leaves the user's devices as they were.
import type { Router } from 'express';
import { IamError } from '../../iam/errors.ts';
import { MFA_DEVICES_PER_USER } from '../../iam/store/mfa.ts';
import type { IamFailure } from '../console-iam.ts';
import { fail, sendJson, signedInRoute, type ConsoleDeps, type SignedInContext } from '../context.ts';

const DEVICE_NAME = /^[\w+=,.@-]{1,64}$/;

export const isDeviceName = (name: string): boolean => DEVICE_NAME.test(name);

const bodyField = (body: unknown, name: string): unknown => (typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : undefined);

/** Whether the signed-in user may add a security key now: the policy, then the quota. */
export async function registrationRefusal(ctx: SignedInContext): Promise<IamFailure | undefined> {
  const denied = await ctx.iam.authorize('iam:EnableMFADevice', ctx.signedIn.caller.arn);
  if (denied) return denied;
  if (ctx.deps.server.store.mfa.listForUser(ctx.signedIn.userName).length >= MFA_DEVICES_PER_USER) {
    return { ok: false, code: 'LimitExceeded', message: `Cannot exceed quota for MFADevicesPerUser: ${MFA_DEVICES_PER_USER}` };
  }
  return undefined;
}

const refusalStatus = (refusal: IamFailure): number => (refusal.code === 'AccessDenied' ? 403 : 409);

export function securityKeyRoutes(router: Router, deps: ConsoleDeps): void {
  router.post(
    '/api/mfa/security-key/options',
    signedInRoute(
      deps,
      async (ctx) => {
        const deviceName = bodyField(ctx.req.body, 'deviceName');
        if (typeof deviceName !== 'string' || !isDeviceName(deviceName)) {
          return fail(ctx, 'json', 400, { code: 'ValidationError', message: 'The device name must be 1 to 64 letters, digits and + = , . @ - _.' });
        }
        const refusal = await registrationRefusal(ctx);
        if (refusal) return fail(ctx, 'json', refusalStatus(refusal), refusal);
        const { store } = deps.server;
        const user = store.users.get(ctx.signedIn.userName);
        const options = await deps.rp.registrationOptions({
          userId: Buffer.from(user.userId),
          userName: user.userName,
          exclude: store.mfa.listSecurityKeys(user.userName),
        });
        deps.sessions.beginCeremony(ctx.session, { kind: 'registration', challenge: options.challenge, deviceName }, deps.config.ceremonyTtlMs);
        sendJson(ctx, { ok: true, options });
      },
      'json',
    ),
  );

  router.post(
    '/api/mfa/security-key/verify',
    signedInRoute(
      deps,
      async (ctx) => {
        const ceremony = deps.sessions.takeCeremony(ctx.session, 'registration');
        if (!ceremony || ceremony.deviceName === undefined) {
          return fail(ctx, 'json', 400, { code: 'no-ceremony', message: 'No registration is pending: its challenge was already used or has expired. Start again.' });
        }
        // The policy may have changed while the key waited for a touch.
        const denied = await ctx.iam.authorize('iam:EnableMFADevice', ctx.signedIn.caller.arn);
        if (denied) return fail(ctx, 'json', 403, denied);
        const outcome = await deps.rp.verifyRegistration(bodyField(ctx.req.body, 'credential'), ceremony.challenge);
        if (!outcome.ok) return fail(ctx, 'json', 400, { code: outcome.code, message: outcome.message });
        const { store } = deps.server;
        const credential = outcome.value;
        if (store.mfa.findSecurityKeyByCredentialId(credential.credentialId)) {
          return fail(ctx, 'json', 409, { code: 'credential-already-registered', message: 'This security key credential is already registered as an MFA device.' });
        }
        const userName = ctx.signedIn.userName;
        const name = ceremony.deviceName;
        try {
          const key = store.transaction(() => store.mfa.addSecurityKey({ userName, name, ...credential }));
          deps.logger.info(`console: ${userName} registered security key ${key.serialNumber} (${key.attestationFormat})`);
          sendJson(ctx, { ok: true, serialNumber: key.serialNumber });
        } catch (error) {
          // The quota is checked again inside the write: a concurrent registration may have filled it.
          if (!(error instanceof IamError)) throw error;
          fail(ctx, 'json', error.status, { code: error.code, message: error.message });
        }
      },
      'json',
    ),
  );
}
