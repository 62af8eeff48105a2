// Policies and the Create policy wizard. Each step is a form post carrying the document and the
// tags; the JSON is checked with the mock IAM's own policy grammar before "Next: Tags" moves on,
// and the policy is created (with its tags) by CreatePolicy as the signed-in user.
import type { Request, Router } from 'express';
import { IamError } from '../../iam/errors.ts';
import { parsePolicyDocument } from '../../iam/policy-document.ts';
import { field, fieldValues, queryParam, redirect, render, signedInRoute, type ConsoleDeps, type SignedInContext } from '../context.ts';
import type { SafeHtml } from '../html.ts';
import { createdPolicyOf, policiesOf } from '../results.ts';
import type { Alert } from '../views/layout.ts';
import { EMPTY_POLICY, permissionsStep, policiesPage, reviewStep, tagsStep, type PolicyDraft } from '../views/policies.ts';
import { LIST_LIMIT } from './iam-pages.ts';
import { failureAlert, failureStatus, listing } from './outcomes.ts';

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

/** Tags as the tags step's rows or the carried hidden fields give them; rows left empty are dropped. */
function draftOf(req: Request): PolicyDraft {
  const keys = fieldValues(req, 'tagKey');
  const values = fieldValues(req, 'tagValue');
  const tags = keys.map((key, i) => ({ key: key.trim(), value: (values[i] ?? '').trim() })).filter((tag) => tag.key !== '' || tag.value !== '');
  return { document: field(req, 'document') ?? '', tags };
}

/** CreatePolicy's parameters: `Tags.member.N.Key` / `.Value` as the Query API flattens them. */
function createParams(draft: PolicyDraft, name: string, description: string): Record<string, string> {
  const params: Record<string, string> = { PolicyName: name, PolicyDocument: draft.document };
  if (description !== '') params.Description = description;
  draft.tags.forEach((tag, i) => {
    params[`Tags.member.${i + 1}.Key`] = tag.key;
    params[`Tags.member.${i + 1}.Value`] = tag.value;
  });
  return params;
}

/** The tags step shows at most this many rows: AWS's limit of tags per policy. */
const MAX_TAG_ROWS = 50;

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
      showStep(ctx, permissionsStep({ csrfToken: ctx.session.csrfToken, tab, draft: { document: EMPTY_POLICY, tags: [] } }));
    }),
  );

  router.post(
    '/iam/policies/create',
    signedInRoute(deps, async (ctx) => {
      const csrfToken = ctx.session.csrfToken;
      const draft = draftOf(ctx.req);
      const step = field(ctx.req, 'step');
      const name = field(ctx.req, 'name') ?? '';
      const description = field(ctx.req, 'description') ?? '';
      if (step === 'permissions') return showStep(ctx, permissionsStep({ csrfToken, tab: 'json', draft }));
      // Every later step needs a well-formed document; a bad one sends the user back to the JSON tab.
      const problem = documentProblem(draft.document);
      if (problem) return showStep(ctx, permissionsStep({ csrfToken, tab: 'json', draft }), problem, 400);
      if (step === 'tags') return showStep(ctx, tagsStep({ csrfToken, draft, blankRows: 1 }));
      if (step === 'add-tag') {
        const rows = Math.min(fieldValues(ctx.req, 'tagKey').length + 1, MAX_TAG_ROWS);
        return showStep(ctx, tagsStep({ csrfToken, draft, blankRows: Math.max(rows - draft.tags.length, 0) }));
      }
      if (step === 'review') {
        if (draft.tags.some((tag) => tag.key === '')) {
          return showStep(ctx, tagsStep({ csrfToken, draft, blankRows: 0 }), { kind: 'error', code: 'ValidationError', message: 'Every tag needs a key.' }, 400);
        }
        return showStep(ctx, reviewStep({ csrfToken, draft, name, description }));
      }
      if (step !== 'create') return redirect(ctx, `${POLICIES}/create?tab=json`);
      const created = await ctx.iam.call('CreatePolicy', createParams(draft, name, description));
      if (!created.ok) return showStep(ctx, reviewStep({ csrfToken, draft, name, description }), failureAlert(created), failureStatus(created));
      redirect(ctx, `${POLICIES}?created=${encodeURIComponent(createdPolicyOf(created.result).policyName)}`);
    }),
  );
}
