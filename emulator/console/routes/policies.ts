// Policies and the Create policy wizard. Each step is a form post carrying the document; the JSON
// is checked with the mock IAM's own policy grammar before "Next: Tags" moves on, and the policy
// is created with CreatePolicy as the signed-in user.
import type { Router } from 'express';
import { IamError } from '../../iam/errors.ts';
import { parsePolicyDocument } from '../../iam/policy-document.ts';
import { field, queryParam, redirect, render, signedInRoute, type ConsoleDeps, type SignedInContext } from '../context.ts';
import type { SafeHtml } from '../html.ts';
import { createdPolicyOf, policiesOf } from '../results.ts';
import type { Alert } from '../views/layout.ts';
import { EMPTY_POLICY, permissionsStep, policiesPage, reviewStep, tagsStep } from '../views/policies.ts';
import { LIST_LIMIT } from './iam-pages.ts';
import { failureAlert, listing } from './outcomes.ts';

const POLICIES = '/console/iam/policies';
const CRUMBS = [{ label: 'IAM', href: '/console/iam' }, { label: 'Policies', href: POLICIES }, { label: 'Create policy' }];

/** The document's grammar problem as the JSON tab shows it, or undefined when it is well-formed. */
function documentProblem(document: string): Alert | undefined {
  try {
    parsePolicyDocument(document);
    return undefined;
  } catch (error) {
    if (!(error instanceof IamError)) throw error;
    return { kind: 'error', code: error.code, message: error.message };
  }
}

function showStep(ctx: SignedInContext, body: SafeHtml, alert?: Alert, status = 200): void {
  render(ctx, { title: 'Create policy', nav: 'policies', breadcrumbs: CRUMBS, alert, body }, status);
}

export function policyRoutes(router: Router, deps: ConsoleDeps): void {
  router.get(
    '/iam/policies',
    signedInRoute(deps, async (ctx) => {
      const policies = await ctx.iam.call('ListPolicies', { MaxItems: LIST_LIMIT });
      const created = queryParam(ctx.req, 'created');
      render(
        ctx,
        {
          title: 'Policies',
          nav: 'policies',
          breadcrumbs: [{ label: 'IAM', href: '/console/iam' }, { label: 'Policies' }],
          alert: created === undefined ? undefined : { kind: 'success', message: `The policy ${created} has been created.` },
          body: policiesPage({ policies: listing(policies, policiesOf) }),
        },
        policies.ok ? 200 : 403,
      );
    }),
  );

  router.get(
    '/iam/policies/create',
    signedInRoute(deps, async (ctx) => {
      const tab = queryParam(ctx.req, 'tab') === 'json' ? 'json' : 'visual';
      showStep(ctx, permissionsStep({ csrfToken: ctx.session.csrfToken, tab, document: EMPTY_POLICY }));
    }),
  );

  router.post(
    '/iam/policies/create',
    signedInRoute(deps, async (ctx) => {
      const csrfToken = ctx.session.csrfToken;
      const document = field(ctx.req, 'document') ?? '';
      const step = field(ctx.req, 'step');
      const name = field(ctx.req, 'name') ?? '';
      const description = field(ctx.req, 'description') ?? '';
      if (step === 'permissions') return showStep(ctx, permissionsStep({ csrfToken, tab: 'json', document }));
      // Every later step needs a well-formed document; a bad one sends the user back to the JSON tab.
      const problem = documentProblem(document);
      if (problem) return showStep(ctx, permissionsStep({ csrfToken, tab: 'json', document }), problem, 400);
      if (step === 'tags') return showStep(ctx, tagsStep({ csrfToken, document }));
      if (step === 'review') return showStep(ctx, reviewStep({ csrfToken, document, name, description }));
      if (step !== 'create') return redirect(ctx, `${POLICIES}/create?tab=json`);
      const params: Record<string, string> = { PolicyName: name, PolicyDocument: document };
      if (description !== '') params.Description = description;
      const created = await ctx.iam.call('CreatePolicy', params);
      if (!created.ok) return showStep(ctx, reviewStep({ csrfToken, document, name, description }), failureAlert(created), created.code === 'AccessDenied' ? 403 : 400);
      redirect(ctx, `${POLICIES}?created=${encodeURIComponent(createdPolicyOf(created.result).policyName)}`);
    }),
  );
}
