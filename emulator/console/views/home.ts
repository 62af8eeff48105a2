// Console Home: where sign-in lands, with the way into IAM.
import { html, type SafeHtml } from '../html.ts';

export function homePage({ userName }: { userName: string }): SafeHtml {
  return html`<p class="lead">Welcome, ${userName}.</p>
<section class="card" aria-labelledby="services">
  <h2 id="services">Services</h2>
  <ul class="service-list">
    <li>
      <a class="service-link" href="/console/iam">IAM</a>
      <p>Identity and Access Management: users, policies and multi-factor authentication.</p>
    </li>
  </ul>
</section>
<section class="card" aria-labelledby="yours">
  <h2 id="yours">Your account</h2>
  <p>Your password and MFA devices are under <a href="/console/iam/security-credentials">My Security Credentials</a>, also in the account menu at the top right.</p>
</section>`;
}
