// Users: the list, one user's permissions and MFA devices, and "Add permissions", which attaches
// managed policies to the user (the workshop's policy and IAMUserChangePassword).
import { html, type SafeHtml } from '../html.ts';
import type { AttachedPolicyRow, MfaDeviceRow, PolicyRow, UserRow } from '../results.ts';
import { formatDate } from './format.ts';
import { csrfField } from './layout.ts';
import { listingBody, type Listing } from './listing.ts';
import { mfaDeviceTable } from './mfa-devices.ts';

const userHref = (userName: string): string => `/console/iam/users/${encodeURIComponent(userName)}`;

export const policyType = (arn: string): string => (arn.startsWith('arn:aws:iam::aws:') ? 'AWS managed' : 'Customer managed');

export function usersPage({ users }: { users: Listing<UserRow> }): SafeHtml {
  return html`<section class="card" aria-labelledby="users-heading">
  <h2 id="users-heading">Users${users.ok ? ` (${users.items.length})` : ''}</h2>
  ${listingBody(users, 'No users.', (items) => html`<table>
    <thead><tr><th scope="col">User name</th><th scope="col">ARN</th><th scope="col">Creation time</th></tr></thead>
    <tbody>${items.map(
      (user) => html`<tr data-user="${user.userName}"><td><a href="${userHref(user.userName)}">${user.userName}</a></td><td class="mono">${user.arn}</td><td>${formatDate(user.createDate)}</td></tr>`,
    )}</tbody>
  </table>`)}
</section>`;
}

export interface UserDetailOptions {
  csrfToken: string | undefined;
  user: UserRow;
  policies: Listing<AttachedPolicyRow>;
  devices: Listing<MfaDeviceRow>;
}

function policyTable(csrfToken: string | undefined, userName: string, policies: readonly AttachedPolicyRow[]): SafeHtml {
  return html`<table>
    <thead><tr><th scope="col">Policy name</th><th scope="col">Type</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
    <tbody>${policies.map(
      (policy) => html`<tr data-policy-arn="${policy.arn}"><td>${policy.policyName}</td><td>${policyType(policy.arn)}</td>
      <td class="row-actions"><form method="post" action="${userHref(userName)}/detach">${csrfField(csrfToken)}<input type="hidden" name="policyArn" value="${policy.arn}">
      <button type="submit" class="secondary small" aria-label="Remove ${policy.policyName} from ${userName}">Remove</button></form></td></tr>`,
    )}</tbody>
  </table>`;
}

export function userDetailPage({ csrfToken, user, policies, devices }: UserDetailOptions): SafeHtml {
  return html`<section class="card" aria-labelledby="summary">
  <h2 id="summary">Summary</h2>
  <dl class="summary"><div><dt>ARN</dt><dd class="mono">${user.arn}</dd></div><div><dt>Created</dt><dd>${formatDate(user.createDate)}</dd></div></dl>
</section>
<section class="card" aria-labelledby="permissions">
  <div class="card-header"><h2 id="permissions">Permissions policies</h2><a class="button primary" href="${userHref(user.userName)}/add-permissions">Add permissions</a></div>
  ${listingBody(policies, 'No policies attached.', (items) => policyTable(csrfToken, user.userName, items))}
</section>
<section class="card" aria-labelledby="user-mfa">
  <h2 id="user-mfa">Multi-factor authentication (MFA)</h2>
  ${listingBody(devices, 'No MFA devices.', (items) => mfaDeviceTable({ devices: items }))}
</section>`;
}

export interface AddPermissionsOptions {
  csrfToken: string | undefined;
  userName: string;
  policies: readonly PolicyRow[];
  attached: ReadonlySet<string>;
}

export function addPermissionsPage({ csrfToken, userName, policies, attached }: AddPermissionsOptions): SafeHtml {
  return html`<form method="post" action="${userHref(userName)}/add-permissions" class="card">
  ${csrfField(csrfToken)}
  <fieldset>
    <legend>Attach policies directly</legend>
    <p class="hint">Choose the policies to attach to ${userName}.</p>
    <table>
      <thead><tr><th scope="col">Policy name</th><th scope="col">Type</th><th scope="col">Attached entities</th></tr></thead>
      <tbody>${policies.map((policy) => {
        const isAttached = attached.has(policy.arn);
        return html`<tr><td><label class="check"><input type="checkbox" name="policyArn" value="${policy.arn}"${isAttached ? html` checked disabled` : ''}> ${policy.policyName}${isAttached ? html` <span class="badge">attached</span>` : ''}</label></td>
        <td>${policyType(policy.arn)}</td><td>${policy.attachmentCount}</td></tr>`;
      })}</tbody>
    </table>
  </fieldset>
  <div class="actions"><a class="button secondary" href="${userHref(userName)}">Cancel</a><button type="submit" class="primary">Add permissions</button></div>
</form>`;
}
