// Sign-in pages: account ID or alias, IAM user name and password; then, for a user with MFA,
// "Use your security key" (navigator.credentials.get, run by the page script) and/or an MFA code
// from an authenticator app.
import { html, type SafeHtml } from '../html.ts';
import { csrfField } from './layout.ts';

export interface SignInFormValues {
  account: string;
  userName: string;
}

export function signInForm({ csrfToken, values }: { csrfToken: string | undefined; values: SignInFormValues }): SafeHtml {
  return html`<form method="post" action="/console/signin" class="card narrow">
  ${csrfField(csrfToken)}
  <p class="lead">Sign in as IAM user</p>
  <div class="field">
    <label for="account">Account ID (12 digits) or account alias</label>
    <input id="account" name="account" required autocomplete="organization" value="${values.account}">
  </div>
  <div class="field">
    <label for="username">IAM user name</label>
    <input id="username" name="username" required autocomplete="username" autocapitalize="none" spellcheck="false" value="${values.userName}">
  </div>
  <div class="field">
    <label for="password">Password</label>
    <input id="password" name="password" type="password" required autocomplete="current-password">
  </div>
  <div class="actions"><button type="submit" class="primary">Sign in</button></div>
</form>`;
}

export interface MfaStepOptions {
  csrfToken: string | undefined;
  userName: string;
  hasSecurityKey: boolean;
  hasAuthenticatorApp: boolean;
}

/** The second step. The security key part starts by itself; the button retries. */
export function mfaStep({ csrfToken, userName, hasSecurityKey, hasAuthenticatorApp }: MfaStepOptions): SafeHtml {
  const securityKey = html`<section class="card narrow" aria-labelledby="use-key" data-webauthn="sign-in" data-options-url="/console/api/signin/options" data-verify-url="/console/api/signin/verify" data-autostart>
  <h2 id="use-key">Use your security key</h2>
  <p>${userName} signs in with a security key. Plug your security key into a USB port, then touch it when it blinks.</p>
  <div class="ceremony-status" role="status" aria-live="polite">
    <progress class="waiting" hidden aria-label="Waiting for your security key"></progress>
    <p data-status>Press "Use your security key" to begin.</p>
  </div>
  <div class="ceremony-error" role="alert" hidden></div>
  <div class="actions"><button type="button" class="primary" data-start>Use your security key</button></div>
</section>`;
  const code = html`<form method="post" action="/console/signin/mfa-code" class="card narrow">
  ${csrfField(csrfToken)}
  <h2>Use your authenticator app</h2>
  <div class="field">
    <label for="mfa-code">MFA code</label>
    <input id="mfa-code" name="code" required inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxlength="6">
    <p class="hint">The 6-digit code your authenticator app shows now.</p>
  </div>
  <div class="actions"><button type="submit" class="${hasSecurityKey ? 'secondary' : 'primary'}">Submit</button></div>
</form>`;
  return html`${hasSecurityKey ? securityKey : ''}${hasAuthenticatorApp ? code : ''}
<p class="narrow"><a href="/console/signin">Cancel and sign in as someone else</a></p>`;
}
