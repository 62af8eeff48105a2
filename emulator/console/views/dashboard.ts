// The IAM dashboard: security recommendations ("Enable MFA" while the signed-in user has no MFA
// device) and counts of the account's IAM resources.
import { html, type SafeHtml } from '../html.ts';
import { alertBox, type Alert } from './layout.ts';

export interface DashboardOptions {
  userName: string;
  /** undefined: ListMFADevices was denied, and `mfaDenied` says why. */
  mfaDeviceCount: number | undefined;
  mfaDenied: Alert | undefined;
  /** undefined where the user may not list them. */
  userCount: number | undefined;
  customerPolicyCount: number | undefined;
}

const count = (value: number | undefined): SafeHtml => (value === undefined ? html`<span title="Access denied">—</span>` : html`${value}`);

function recommendations({ userName, mfaDeviceCount, mfaDenied }: DashboardOptions): SafeHtml {
  if (mfaDeviceCount === undefined) return alertBox(mfaDenied) ?? html``;
  return html`<ul class="recommendations">${recommendation(userName, mfaDeviceCount)}</ul>`;
}

function recommendation(userName: string, mfaDeviceCount: number): SafeHtml {
  if (mfaDeviceCount > 0) {
    return html`<li class="recommendation done"><div><p class="recommendation-title">MFA is enabled for ${userName}</p><p>${mfaDeviceCount} MFA device${mfaDeviceCount === 1 ? '' : 's'} assigned.</p></div></li>`;
  }
  return html`<li class="recommendation todo">
  <div><p class="recommendation-title">Add MFA for yourself</p><p>${userName} signs in with a password alone. Add a security key or an authenticator app.</p></div>
  <a class="button primary" href="/console/iam/security-credentials?mfa=open#mfa">Enable MFA</a>
</li>`;
}

export function dashboardPage(options: DashboardOptions): SafeHtml {
  return html`<section class="card" aria-labelledby="recommendations">
  <h2 id="recommendations">Security recommendations</h2>
  ${recommendations(options)}
</section>
<section class="card" aria-labelledby="resources">
  <h2 id="resources">IAM resources</h2>
  <dl class="resource-counts">
    <div><dt><a href="/console/iam/users">Users</a></dt><dd>${count(options.userCount)}</dd></div>
    <div><dt><a href="/console/iam/policies">Customer managed policies</a></dt><dd>${count(options.customerPolicyCount)}</dd></div>
  </dl>
</section>`;
}
