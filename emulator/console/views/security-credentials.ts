// My Security Credentials: the console password (ChangePassword) and the expandable
// "Multi-factor authentication (MFA)" section with the user's devices, "Assign MFA device" and
// Remove.
import { html, type SafeHtml } from '../html.ts';
import type { MfaDeviceRow } from '../results.ts';
import { alertBox, csrfField, type Alert } from './layout.ts';
import { listingBody, type Listing } from './listing.ts';
import { mfaDeviceTable } from './mfa-devices.ts';

export interface SecurityCredentialsOptions {
  csrfToken: string | undefined;
  userName: string;
  userArn: string;
  devices: Listing<MfaDeviceRow>;
  /** The MFA section starts expanded (after "Enable MFA", an assignment or a removal). */
  mfaOpen: boolean;
  /** The outcome of the last action in a section, shown in that section. */
  passwordAlert?: Alert;
  mfaAlert?: Alert;
}

function passwordSection({ csrfToken, passwordAlert }: SecurityCredentialsOptions): SafeHtml {
  return html`<section class="card" aria-labelledby="password-heading">
  <h2 id="password-heading">Console password</h2>
  ${alertBox(passwordAlert)}
  <form method="post" action="/console/iam/security-credentials/password" class="stacked">
    ${csrfField(csrfToken)}
    <div class="field"><label for="old-password">Current password</label><input id="old-password" name="oldPassword" type="password" required autocomplete="current-password"></div>
    <div class="field"><label for="new-password">New password</label><input id="new-password" name="newPassword" type="password" required autocomplete="new-password"></div>
    <div class="field"><label for="confirm-password">Confirm new password</label><input id="confirm-password" name="confirmPassword" type="password" required autocomplete="new-password"></div>
    <div class="actions"><button type="submit" class="primary">Change password</button></div>
  </form>
</section>`;
}

function mfaSection({ csrfToken, devices, mfaOpen, mfaAlert }: SecurityCredentialsOptions): SafeHtml {
  return html`<details class="card section" id="mfa"${mfaOpen ? html` open` : ''}>
  <summary><h2>Multi-factor authentication (MFA)</h2></summary>
  ${alertBox(mfaAlert)}
  <p>Use MFA to make your sign-in safer: after your password, the console asks for your security key or a code from your authenticator app. You can assign up to 8 MFA devices.</p>
  ${listingBody(devices, 'No MFA devices. Assign an MFA device to improve the security of your account.', (items) => mfaDeviceTable({ devices: items, removable: { csrfToken } }))}
  <div class="actions"><a class="button primary" href="/console/iam/security-credentials/mfa/assign">Assign MFA device</a></div>
</details>`;
}

export function securityCredentialsPage(options: SecurityCredentialsOptions): SafeHtml {
  return html`<section class="card" aria-labelledby="identity">
  <h2 id="identity">${options.userName}</h2>
  <dl class="summary"><div><dt>ARN</dt><dd class="mono">${options.userArn}</dd></div></dl>
</section>
${mfaSection(options)}
${passwordSection(options)}`;
}
