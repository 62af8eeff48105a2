// My Security Credentials: change password (ChangePassword), the MFA section with its device list
// (ListMFADevices), Remove (DeactivateMFADevice), and Assign MFA device: step 1 here, step 2 as
// the security key page (registration through the JSON endpoints in security-key.ts) or the
// authenticator app page (CreateVirtualMFADevice, then EnableMFADevice with two codes).
import type { Request, Router } from 'express';
import { field, queryParam, redirect, render, signedInRoute, type ConsoleDeps, type SignedInContext } from '../context.ts';
import type { SafeHtml } from '../html.ts';
import { mfaDevicesOf, virtualDeviceOf } from '../results.ts';
import { authenticatorAppStep, securityKeyStep, selectDeviceStep, ASSIGN_PATH, type MfaDeviceType } from '../views/assign-mfa.ts';
import type { Alert } from '../views/layout.ts';
import { securityCredentialsPage } from '../views/security-credentials.ts';
import { failureAlert, failureStatus, listing } from './outcomes.ts';
import { isDeviceName, registrationRefusal } from './security-key.ts';

const PAGE = '/console/iam/security-credentials';
const MFA_NOTICES: Record<string, string> = {
  'device-assigned': 'The MFA device is assigned.',
  'device-removed': 'The MFA device is removed.',
};

interface PageAlerts {
  passwordAlert?: Alert;
  mfaAlert?: Alert;
}

async function showPage(ctx: SignedInContext, alerts: PageAlerts, status = 200): Promise<void> {
  const { userName, caller } = ctx.signedIn;
  const devices = await ctx.iam.call('ListMFADevices', { UserName: userName });
  const notice = MFA_NOTICES[queryParam(ctx.req, 'notice') ?? ''];
  const mfaAlert = alerts.mfaAlert ?? (notice === undefined ? undefined : { kind: 'success' as const, message: notice });
  render(
    ctx,
    {
      title: 'My security credentials',
      breadcrumbs: [{ label: 'IAM', href: '/console/iam' }, { label: 'My security credentials' }],
      body: securityCredentialsPage({
        csrfToken: ctx.session.csrfToken,
        userName,
        userArn: caller.arn,
        devices: listing(devices, mfaDevicesOf),
        mfaOpen: queryParam(ctx.req, 'mfa') === 'open' || mfaAlert !== undefined,
        passwordAlert: alerts.passwordAlert,
        mfaAlert,
      }),
    },
    status,
  );
}

function showAssign(ctx: SignedInContext, body: SafeHtml, alert?: Alert, status = 200): void {
  render(ctx, { title: 'Assign MFA device', breadcrumbs: [{ label: 'My security credentials', href: `${PAGE}?mfa=open#mfa` }, { label: 'Assign MFA device' }], alert, body }, status);
}

const deviceTypeOf = (req: Request): MfaDeviceType | undefined => {
  const type = field(req, 'type');
  return type === 'security-key' || type === 'authenticator-app' ? type : undefined;
};

export function securityCredentialRoutes(router: Router, deps: ConsoleDeps): void {
  router.get('/iam/security-credentials', signedInRoute(deps, async (ctx) => showPage(ctx, {})));

  router.post(
    '/iam/security-credentials/password',
    signedInRoute(deps, async (ctx) => {
      const oldPassword = field(ctx.req, 'oldPassword') ?? '';
      const newPassword = field(ctx.req, 'newPassword') ?? '';
      if (newPassword !== (field(ctx.req, 'confirmPassword') ?? '')) {
        return showPage(ctx, { passwordAlert: { kind: 'error', code: 'PasswordMismatch', message: 'The new password and its confirmation differ.' } }, 400);
      }
      const changed = await ctx.iam.call('ChangePassword', { OldPassword: oldPassword, NewPassword: newPassword });
      if (!changed.ok) return showPage(ctx, { passwordAlert: failureAlert(changed) }, failureStatus(changed));
      showPage(ctx, { passwordAlert: { kind: 'success', code: 'PasswordChanged', message: 'Your password has been changed.' } });
    }),
  );

  router.get(
    '/iam/security-credentials/mfa/assign',
    signedInRoute(deps, async (ctx) => showAssign(ctx, selectDeviceStep({ csrfToken: ctx.session.csrfToken, name: '', type: 'security-key' }))),
  );

  router.post(
    '/iam/security-credentials/mfa/assign',
    signedInRoute(deps, async (ctx) => {
      const csrfToken = ctx.session.csrfToken;
      const name = field(ctx.req, 'name') ?? '';
      const type = deviceTypeOf(ctx.req);
      const again = (alert: Alert, status: number) => showAssign(ctx, selectDeviceStep({ csrfToken, name, type: type ?? 'security-key' }), alert, status);
      if (!isDeviceName(name)) return again({ kind: 'error', code: 'ValidationError', message: 'Enter a device name of 1 to 64 letters, digits and + = , . @ - _.' }, 400);
      if (type === undefined) return again({ kind: 'error', code: 'ValidationError', message: 'Choose the type of MFA device.' }, 400);
      if (type === 'security-key') {
        const refusal = await registrationRefusal(ctx);
        if (refusal) return again(failureAlert(refusal), failureStatus(refusal));
        return redirect(ctx, `${PAGE}/mfa/security-key?name=${encodeURIComponent(name)}`);
      }
      const created = await ctx.iam.call('CreateVirtualMFADevice', { VirtualMFADeviceName: name });
      if (!created.ok) return again(failureAlert(created), failureStatus(created));
      showAssign(ctx, authenticatorAppStep({ csrfToken, ...virtualDeviceOf(created.result) }));
    }),
  );

  router.get(
    '/iam/security-credentials/mfa/security-key',
    signedInRoute(deps, async (ctx) => {
      const name = queryParam(ctx.req, 'name') ?? '';
      if (!isDeviceName(name)) return redirect(ctx, ASSIGN_PATH);
      showAssign(ctx, securityKeyStep({ name }));
    }),
  );

  router.post(
    '/iam/security-credentials/mfa/authenticator-app',
    signedInRoute(deps, async (ctx) => {
      const serialNumber = field(ctx.req, 'serialNumber') ?? '';
      const seedBase32 = field(ctx.req, 'seed') ?? '';
      const enabled = await ctx.iam.call('EnableMFADevice', {
        UserName: ctx.signedIn.userName,
        SerialNumber: serialNumber,
        AuthenticationCode1: field(ctx.req, 'code1') ?? '',
        AuthenticationCode2: field(ctx.req, 'code2') ?? '',
      });
      if (!enabled.ok) return showAssign(ctx, authenticatorAppStep({ csrfToken: ctx.session.csrfToken, serialNumber, seedBase32 }), failureAlert(enabled), failureStatus(enabled));
      redirect(ctx, `${PAGE}?mfa=open&notice=device-assigned#mfa`);
    }),
  );

  router.post(
    '/iam/security-credentials/mfa/remove',
    signedInRoute(deps, async (ctx) => {
      const removed = await ctx.iam.call('DeactivateMFADevice', { UserName: ctx.signedIn.userName, SerialNumber: field(ctx.req, 'serialNumber') ?? '' });
      if (!removed.ok) return showPage(ctx, { mfaAlert: failureAlert(removed) }, failureStatus(removed));
      redirect(ctx, `${PAGE}?mfa=open&notice=device-removed#mfa`);
    }),
  );
}
