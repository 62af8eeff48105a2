// Users, a user's page, and Add permissions (AttachUserPolicy) / Remove (DetachUserPolicy), each
// as the signed-in user through IAM.
import type { Request, Router } from 'express';
import { field, fieldValues, queryParam, redirect, render, signedInRoute, type ConsoleDeps, type SignedInContext } from '../context.ts';
import { html } from '../html.ts';
import { attachedPoliciesOf, mfaDevicesOf, policiesOf, userOf, usersOf } from '../results.ts';
import type { Alert } from '../views/layout.ts';
import { addPermissionsPage, userDetailPage, usersPage } from '../views/users.ts';
import { LIST_LIMIT } from './iam-pages.ts';
import { failureAlert, failureStatus, listing } from './outcomes.ts';

const USERS = '/console/iam/users';
const userPath = (userName: string): string => `${USERS}/${encodeURIComponent(userName)}`;

/** Notices a redirect after a change carries to the page it lands on. */
const NOTICES: Record<string, string> = {
  'policies-attached': 'The policies are attached.',
  'policy-removed': 'The policy is removed.',
};

const noticeAlert = (req: Request): Alert | undefined => {
  const message = NOTICES[queryParam(req, 'notice') ?? ''];
  return message === undefined ? undefined : { kind: 'success', message };
};

const crumbs = (userName?: string) => [
  { label: 'IAM', href: '/console/iam' },
  userName === undefined ? { label: 'Users' } : { label: 'Users', href: USERS },
  ...(userName === undefined ? [] : [{ label: userName }]),
];

async function showUser(ctx: SignedInContext, userName: string, alert: Alert | undefined, status = 200): Promise<void> {
  const user = await ctx.iam.call('GetUser', { UserName: userName });
  if (!user.ok) {
    const body = html`<p><a href="${USERS}">Back to Users</a></p>`;
    return render(ctx, { title: userName, nav: 'users', breadcrumbs: crumbs(userName), alert: failureAlert(user), body }, failureStatus(user));
  }
  const [policies, devices] = await Promise.all([
    ctx.iam.call('ListAttachedUserPolicies', { UserName: userName, MaxItems: LIST_LIMIT }),
    ctx.iam.call('ListMFADevices', { UserName: userName, MaxItems: LIST_LIMIT }),
  ]);
  const row = userOf(user.result);
  render(
    ctx,
    {
      title: row.userName,
      nav: 'users',
      breadcrumbs: crumbs(row.userName),
      alert,
      body: userDetailPage({ csrfToken: ctx.session.csrfToken, user: row, policies: listing(policies, attachedPoliciesOf), devices: listing(devices, mfaDevicesOf) }),
    },
    status,
  );
}

async function showAddPermissions(ctx: SignedInContext, userName: string, alert: Alert | undefined, status = 200): Promise<void> {
  const [policies, attached] = await Promise.all([
    ctx.iam.call('ListPolicies', { MaxItems: LIST_LIMIT }),
    ctx.iam.call('ListAttachedUserPolicies', { UserName: userName, MaxItems: LIST_LIMIT }),
  ]);
  const failed = !policies.ok ? policies : !attached.ok ? attached : undefined;
  render(
    ctx,
    {
      title: `Add permissions to ${userName}`,
      nav: 'users',
      breadcrumbs: [...crumbs(userName).slice(0, 2), { label: userName, href: userPath(userName) }, { label: 'Add permissions' }],
      alert: alert ?? (failed && failureAlert(failed)),
      body: addPermissionsPage({
        csrfToken: ctx.session.csrfToken,
        userName,
        policies: policies.ok ? policiesOf(policies.result) : [],
        attached: new Set(attached.ok ? attachedPoliciesOf(attached.result).map((policy) => policy.arn) : []),
      }),
    },
    alert === undefined && failed ? failureStatus(failed) : status,
  );
}

export function userRoutes(router: Router, deps: ConsoleDeps): void {
  router.get(
    '/iam/users',
    signedInRoute(deps, async (ctx) => {
      const users = await ctx.iam.call('ListUsers', { MaxItems: LIST_LIMIT });
      render(ctx, { title: 'Users', nav: 'users', breadcrumbs: crumbs(), body: usersPage({ users: listing(users, usersOf) }) }, users.ok ? 200 : 403);
    }),
  );

  router.get('/iam/users/:name', signedInRoute(deps, async (ctx) => showUser(ctx, String(ctx.req.params.name), noticeAlert(ctx.req))));

  router.get('/iam/users/:name/add-permissions', signedInRoute(deps, async (ctx) => showAddPermissions(ctx, String(ctx.req.params.name), undefined)));

  router.post(
    '/iam/users/:name/add-permissions',
    signedInRoute(deps, async (ctx) => {
      const userName = String(ctx.req.params.name);
      const arns = fieldValues(ctx.req, 'policyArn');
      if (arns.length === 0) return showAddPermissions(ctx, userName, { kind: 'error', code: 'NoPolicySelected', message: 'Choose at least one policy.' }, 400);
      const { store } = deps.server;
      const before = new Set(store.policies.attached('user', userName).map((policy) => policy.arn));
      for (const arn of arns) {
        const attached = await ctx.iam.call('AttachUserPolicy', { UserName: userName, PolicyArn: arn });
        if (!attached.ok) {
          // One form, one change: a failure page means the user's policies are as they were, so
          // the attachments this post made before the failure are taken back.
          store.transaction(() => {
            for (const policy of store.policies.attached('user', userName)) if (!before.has(policy.arn)) store.policies.detach('user', userName, policy.arn);
          });
          return showAddPermissions(ctx, userName, failureAlert(attached), failureStatus(attached));
        }
      }
      redirect(ctx, `${userPath(userName)}?notice=policies-attached`);
    }),
  );

  router.post(
    '/iam/users/:name/detach',
    signedInRoute(deps, async (ctx) => {
      const userName = String(ctx.req.params.name);
      const detached = await ctx.iam.call('DetachUserPolicy', { UserName: userName, PolicyArn: field(ctx.req, 'policyArn') ?? '' });
      if (!detached.ok) return showUser(ctx, userName, failureAlert(detached), failureStatus(detached));
      redirect(ctx, `${userPath(userName)}?notice=policy-removed`);
    }),
  );
}
