// "Assign MFA device": step 1 names the device and picks its type (Security key or Authenticator
// app, "Continue"); step 2 registers it. For a security key the page script runs
// navigator.credentials.create with a progress line while the key waits for a touch, then offers
// "Close"; for an authenticator app the page shows the secret and asks for two consecutive codes.
import { html, type SafeHtml } from '../html.ts';
import { csrfField } from './layout.ts';

export type MfaDeviceType = 'security-key' | 'authenticator-app';

export const ASSIGN_PATH = '/console/iam/security-credentials/mfa/assign';
const BACK = '/console/iam/security-credentials?mfa=open#mfa';

function steps(current: 1 | 2): SafeHtml {
  return html`<ol class="steps" aria-label="Assign MFA device steps">
  <li${current === 1 ? html` aria-current="step" class="current"` : ''}><span class="step-number">Step 1</span> Select MFA device</li>
  <li${current === 2 ? html` aria-current="step" class="current"` : ''}><span class="step-number">Step 2</span> Set up device</li>
</ol>`;
}

export function selectDeviceStep({ csrfToken, name, type }: { csrfToken: string | undefined; name: string; type: MfaDeviceType }): SafeHtml {
  const option = (value: MfaDeviceType, label: string, description: string): SafeHtml => html`<label class="choice">
    <input type="radio" name="type" value="${value}"${type === value ? html` checked` : ''}>
    <span><span class="choice-label">${label}</span><span class="choice-description">${description}</span></span>
  </label>`;
  return html`${steps(1)}
<form method="post" action="${ASSIGN_PATH}" class="card">
  ${csrfField(csrfToken)}
  <div class="field">
    <label for="device-name">Device name</label>
    <input id="device-name" name="name" required maxlength="64" pattern="[A-Za-z0-9+=,.@_\\-]+" value="${name}" aria-describedby="device-name-hint">
    <p class="hint" id="device-name-hint">A name to tell this device apart, up to 64 letters, digits and + = , . @ - _ (for example MyU2FKey).</p>
  </div>
  <fieldset>
    <legend>MFA device</legend>
    ${option('security-key', 'Security key', 'A FIDO U2F or FIDO2 key you plug into a USB port and touch.')}
    ${option('authenticator-app', 'Authenticator app', 'An app on your phone or computer that shows a new 6-digit code every 30 seconds.')}
  </fieldset>
  <div class="actions"><a class="button secondary" href="${BACK}">Cancel</a><button type="submit" class="primary">Continue</button></div>
</form>`;
}

/** The registration ceremony runs from the page script; this is what it shows and updates. */
export function securityKeyStep({ name }: { name: string }): SafeHtml {
  return html`${steps(2)}
<section class="card" aria-labelledby="setup-key" data-webauthn="register" data-device-name="${name}" data-options-url="/console/api/mfa/security-key/options" data-verify-url="/console/api/mfa/security-key/verify" data-autostart>
  <h2 id="setup-key">Set up your security key</h2>
  <ol class="instructions">
    <li><strong>Plug in your security key.</strong> Insert it into a USB port of this computer.</li>
    <li><strong>Touch your security key.</strong> When it blinks, touch its button or gold contact.</li>
  </ol>
  <div class="ceremony-status" role="status" aria-live="polite">
    <progress class="waiting" hidden aria-label="Waiting for your security key"></progress>
    <p data-status>Press "Register security key" to begin.</p>
  </div>
  <div class="ceremony-error" role="alert" hidden></div>
  <div class="actions" data-pending-actions><a class="button secondary" href="${BACK}">Cancel</a><button type="button" class="primary" data-start>Register security key</button></div>
  <div class="ceremony-done" hidden>
    <div class="alert alert-success" role="status"><p class="alert-title">Security key registered</p><p class="alert-message">${name} is now an MFA device for your user. Sign-in will ask for it.</p></div>
    <div class="actions"><a class="button primary" href="${BACK}" data-close>Close</a></div>
  </div>
</section>`;
}

export function authenticatorAppStep({ csrfToken, serialNumber, seedBase32 }: { csrfToken: string | undefined; serialNumber: string; seedBase32: string }): SafeHtml {
  // The secret goes back with the codes so the page can show it again if a code was wrong; it is
  // the user's own secret and only ever shown to them.
  return html`${steps(2)}
<form method="post" action="/console/iam/security-credentials/mfa/authenticator-app" class="card">
  ${csrfField(csrfToken)}
  <input type="hidden" name="serialNumber" value="${serialNumber}">
  <input type="hidden" name="seed" value="${seedBase32}">
  <h2>Set up your authenticator app</h2>
  <ol class="instructions">
    <li>Add an account to your authenticator app with this secret key (TOTP, SHA-1, 6 digits, 30 seconds): <code class="secret">${seedBase32}</code></li>
    <li>Type two consecutive codes from the app.</li>
  </ol>
  <div class="field"><label for="code-1">MFA code 1</label><input id="code-1" name="code1" required inputmode="numeric" pattern="[0-9]{6}" maxlength="6" autocomplete="off"></div>
  <div class="field"><label for="code-2">MFA code 2</label><input id="code-2" name="code2" required inputmode="numeric" pattern="[0-9]{6}" maxlength="6" autocomplete="off"></div>
  <div class="actions"><a class="button secondary" href="${BACK}">Cancel</a><button type="submit" class="primary">Add MFA</button></div>
</form>`;
}
