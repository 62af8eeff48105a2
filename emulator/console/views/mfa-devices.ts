// The MFA device table, on a user's page (read-only) and on My Security Credentials (with Remove).
import { html, type SafeHtml } from '../html.ts';
import type { MfaDeviceRow } from '../results.ts';
import { formatDate } from './format.ts';
import { csrfField } from './layout.ts';

export interface MfaDeviceTableOptions {
  devices: readonly MfaDeviceRow[];
  /** With a token, each row gets a Remove button (DeactivateMFADevice). */
  removable?: { csrfToken: string | undefined };
}

export function mfaDeviceTable({ devices, removable }: MfaDeviceTableOptions): SafeHtml {
  return html`<table class="mfa-devices">
  <thead><tr><th scope="col">Device type</th><th scope="col">Identifier</th><th scope="col">Created on</th>${removable ? html`<th scope="col"><span class="visually-hidden">Actions</span></th>` : ''}</tr></thead>
  <tbody>${devices.map(
    (device) => html`<tr data-serial="${device.serialNumber}">
    <td>${device.kind === 'security-key' ? 'Security key' : 'Authenticator app'}</td>
    <td class="mono">${device.serialNumber}</td>
    <td>${formatDate(device.enableDate)}</td>
    ${removable
      ? html`<td class="row-actions"><form method="post" action="/console/iam/security-credentials/mfa/remove">${csrfField(removable.csrfToken)}<input type="hidden" name="serialNumber" value="${device.serialNumber}">
      <button type="submit" class="secondary small" aria-label="Remove ${device.serialNumber}">Remove</button></form></td>`
      : ''}
  </tr>`,
  )}</tbody>
</table>`;
}
