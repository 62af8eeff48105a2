// Console Home and the IAM dashboard. The dashboard reads what it shows through IAM as the
// signed-in user, so a user who may not list users sees a dash, not the count.
import type { Router } from 'express';
import { render, signedInRoute, type ConsoleDeps } from '../context.ts';
import { mfaDevicesOf, policiesOf, usersOf } from '../results.ts';
import { dashboardPage } from '../views/dashboard.ts';
import { homePage } from '../views/home.ts';
import { failureAlert } from './outcomes.ts';

/** The console lists at most this many of anything (the mock's accounts are small). */
export const LIST_LIMIT = '1000';

export function iamPageRoutes(router: Router, deps: ConsoleDeps): void {
  router.get(
    '/home',
    signedInRoute(deps, async (ctx) => render(ctx, { title: 'Console Home', body: homePage({ userName: ctx.signedIn.userName }) })),
  );

  router.get(
    '/iam',
    signedInRoute(deps, async (ctx) => {
      const [devices, users, policies] = await Promise.all([
        ctx.iam.call('ListMFADevices', { UserName: ctx.signedIn.userName }),
        ctx.iam.call('ListUsers', { MaxItems: LIST_LIMIT }),
        ctx.iam.call('ListPolicies', { Scope: 'Local', MaxItems: LIST_LIMIT }),
      ]);
      render(ctx, {
        title: 'IAM dashboard',
        nav: 'dashboard',
        body: dashboardPage({
          userName: ctx.signedIn.userName,
          mfaDeviceCount: devices.ok ? mfaDevicesOf(devices.result).length : undefined,
          mfaDenied: devices.ok ? undefined : failureAlert(devices),
          userCount: users.ok ? usersOf(users.result).length : undefined,
          customerPolicyCount: policies.ok ? policiesOf(policies.result).length : undefined,
        }),
      });
    }),
  );
}
