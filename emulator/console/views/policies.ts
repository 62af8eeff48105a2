// Policies: the list with "Create policy", and the create wizard as the workshop walks it:
// Specify permissions (Visual editor / JSON tabs), "Next: Tags", Tags, "Next: Review", Review
// (Name, Description), "Create policy". The document travels between steps in the forms.
import { html, type SafeHtml } from '../html.ts';
import type { PolicyRow } from '../results.ts';
import { csrfField } from './layout.ts';
import { listingBody, type Listing } from './listing.ts';
import { policyType } from './users.ts';

export const CREATE_POLICY_PATH = '/console/iam/policies/create';

/** A new policy's starting text in the JSON tab. */
export const EMPTY_POLICY = `{
    "Version": "2012-10-17",
    "Statement": []
}`;

export function policiesPage({ policies }: { policies: Listing<PolicyRow> }): SafeHtml {
  const count = policies.ok ? ` (${policies.items.length})` : '';
  return html`<section class="card" aria-labelledby="policies-heading">
  <div class="card-header"><h2 id="policies-heading">Policies${count}</h2><a class="button primary" href="${CREATE_POLICY_PATH}">Create policy</a></div>
  ${listingBody(policies, 'No policies.', (items) => html`<table>
    <thead><tr><th scope="col">Policy name</th><th scope="col">Type</th><th scope="col">Attached entities</th></tr></thead>
    <tbody>${items.map(
      (policy) => html`<tr data-policy-arn="${policy.arn}"><td>${policy.policyName}</td><td>${policyType(policy.arn)}</td><td>${policy.attachmentCount}</td></tr>`,
    )}</tbody>
  </table>`)}
</section>`;
}

export type CreatePolicyStep = 'permissions' | 'tags' | 'review';

const STEPS: ReadonlyArray<{ id: CreatePolicyStep; label: string }> = [
  { id: 'permissions', label: 'Specify permissions' },
  { id: 'tags', label: 'Add tags' },
  { id: 'review', label: 'Review and create' },
];

function stepList(current: CreatePolicyStep): SafeHtml {
  return html`<ol class="steps" aria-label="Create policy steps">${STEPS.map(
    (step, i) => html`<li${step.id === current ? html` aria-current="step" class="current"` : ''}><span class="step-number">Step ${i + 1}</span> ${step.label}</li>`,
  )}</ol>`;
}

/** What the wizard has gathered so far; it travels between the steps in the forms. */
export interface PolicyDraft {
  document: string;
  tags: ReadonlyArray<{ key: string; value: string }>;
}

const carriedTags = (draft: PolicyDraft): SafeHtml =>
  html`${draft.tags.map((tag) => html`<input type="hidden" name="tagKey" value="${tag.key}"><input type="hidden" name="tagValue" value="${tag.value}">`)}`;

/**
 * Pressing Enter in a field submits with the form's first submit button; "Previous" comes first on
 * screen, so this out-of-sight copy of the step's main action goes first in the form.
 */
const enterKeyAction = (step: string, label: string): SafeHtml =>
  html`<button type="submit" name="step" value="${step}" class="visually-hidden" tabindex="-1" aria-hidden="true">${label}</button>`;

const carried = (draft: PolicyDraft): SafeHtml => html`<input type="hidden" name="document" value="${draft.document}">${carriedTags(draft)}`;

export function permissionsStep({ csrfToken, tab, draft }: { csrfToken: string | undefined; tab: 'visual' | 'json'; draft: PolicyDraft }): SafeHtml {
  const tabs = html`<nav class="tabs" aria-label="Policy editor">
  <a href="${CREATE_POLICY_PATH}?tab=visual"${tab === 'visual' ? html` aria-current="page"` : ''}>Visual editor</a>
  <a href="${CREATE_POLICY_PATH}?tab=json"${tab === 'json' ? html` aria-current="page"` : ''}>JSON</a>
</nav>`;
  const panel =
    tab === 'visual'
      ? html`<div class="card"><p>The visual editor is not available in this console: use the <a href="${CREATE_POLICY_PATH}?tab=json">JSON</a> tab to write the policy.</p></div>`
      : html`<form method="post" action="${CREATE_POLICY_PATH}" class="card">
  ${csrfField(csrfToken)}${carriedTags(draft)}
  <div class="field">
    <label for="policy-document">Policy editor (JSON)</label>
    <textarea id="policy-document" name="document" rows="22" spellcheck="false" autocapitalize="off" class="code">${draft.document}</textarea>
  </div>
  <div class="actions"><a class="button secondary" href="/console/iam/policies">Cancel</a><button type="submit" name="step" value="tags" class="primary">Next: Tags</button></div>
</form>`;
  return html`${stepList('permissions')}${tabs}${panel}`;
}

/** The tags step: one Key/Value row per tag so far plus `blankRows` empty ones; "Add tag" adds a row. */
export function tagsStep({ csrfToken, draft, blankRows }: { csrfToken: string | undefined; draft: PolicyDraft; blankRows: number }): SafeHtml {
  const rows = [...draft.tags, ...Array.from({ length: blankRows }, () => ({ key: '', value: '' }))];
  return html`${stepList('tags')}
<form method="post" action="${CREATE_POLICY_PATH}" class="card">
  ${csrfField(csrfToken)}${enterKeyAction('review', 'Next: Review')}<input type="hidden" name="document" value="${draft.document}">
  <h2>Add tags (optional)</h2>
  <p>Tags are key-value pairs that help you tell AWS resources apart. Empty rows are ignored.</p>
  <table class="tags">
    <thead><tr><th scope="col">Key</th><th scope="col">Value (optional)</th></tr></thead>
    <tbody>${rows.map(
      (tag, i) => html`<tr>
      <td><label class="visually-hidden" for="tag-key-${i}">Key of tag ${i + 1}</label><input id="tag-key-${i}" name="tagKey" maxlength="128" value="${tag.key}"></td>
      <td><label class="visually-hidden" for="tag-value-${i}">Value of tag ${i + 1}</label><input id="tag-value-${i}" name="tagValue" maxlength="256" value="${tag.value}"></td>
    </tr>`,
    )}</tbody>
  </table>
  <div class="actions">
    <button type="submit" name="step" value="add-tag" class="secondary">Add tag</button>
    <button type="submit" name="step" value="permissions" class="secondary">Previous</button>
    <button type="submit" name="step" value="review" class="primary">Next: Review</button>
  </div>
</form>`;
}

export function reviewStep({ csrfToken, draft, name, description }: { csrfToken: string | undefined; draft: PolicyDraft; name: string; description: string }): SafeHtml {
  const tags =
    draft.tags.length === 0
      ? html`<p class="empty">No tags.</p>`
      : html`<table class="tags"><thead><tr><th scope="col">Key</th><th scope="col">Value</th></tr></thead><tbody>${draft.tags.map(
          (tag) => html`<tr><td>${tag.key}</td><td>${tag.value}</td></tr>`,
        )}</tbody></table>`;
  return html`${stepList('review')}
<form method="post" action="${CREATE_POLICY_PATH}" class="card">
  ${csrfField(csrfToken)}${enterKeyAction('create', 'Create policy')}${carried(draft)}
  <h2>Review policy</h2>
  <div class="field">
    <label for="policy-name">Name</label>
    <input id="policy-name" name="name" required maxlength="128" pattern="[A-Za-z0-9+=,.@_\\-]+" value="${name}" aria-describedby="policy-name-hint">
    <p class="hint" id="policy-name-hint">Up to 128 characters: letters, digits and + = , . @ - _ (for example MFAHardDevice).</p>
  </div>
  <div class="field">
    <label for="policy-description">Description (optional)</label>
    <textarea id="policy-description" name="description" rows="2" maxlength="1000">${description}</textarea>
  </div>
  <h3>Policy document</h3>
  <pre class="code" tabindex="0" aria-label="Policy document">${draft.document}</pre>
  <h3>Tags</h3>
  ${tags}
  <div class="actions"><button type="submit" name="step" value="tags" class="secondary">Previous</button><button type="submit" name="step" value="create" class="primary">Create policy</button></div>
</form>`;
}
