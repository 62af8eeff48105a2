// The page shell every console page shares: top bar with the account menu (where the workshop
// finds "My Security Credentials"), the IAM sidebar (Dashboard, Users, Policies), breadcrumbs,
// the page's alert, and the CSRF token for the page's script. Real links, buttons and a <details>
// menu, so everything works from the keyboard.
import { html, type SafeHtml } from '../html.ts';

export type IamNav = 'dashboard' | 'users' | 'policies';

export interface Alert {
  kind: 'error' | 'success' | 'info';
  /** An AWS error code (AccessDenied, …) or the console's own; pages and tests read it. */
  code?: string;
  /** The title; by default derived from the code. */
  title?: string;
  message: string;
}

export interface LayoutOptions {
  title: string;
  /** The session's CSRF token, for forms and the page script. */
  csrfToken: string | undefined;
  /** Who is signed in; absent on the sign-in pages. */
  identity?: { userName: string; account: string };
  /** Shows the IAM sidebar with this entry current. */
  nav?: IamNav;
  breadcrumbs?: ReadonlyArray<{ label: string; href?: string }>;
  alert?: Alert;
  body: SafeHtml;
}

const NAV: ReadonlyArray<{ id: IamNav; label: string; href: string }> = [
  { id: 'dashboard', label: 'Dashboard', href: '/console/iam' },
  { id: 'users', label: 'Users', href: '/console/iam/users' },
  { id: 'policies', label: 'Policies', href: '/console/iam/policies' },
];

const TITLES: Record<string, string> = {
  AccessDenied: 'Access denied',
  InvalidCsrfToken: 'Request not verified',
  NotSignedIn: 'Signed out',
  InternalFailure: 'Something went wrong',
  NotFound: 'Page not found',
  PasswordChanged: 'Password changed',
  PasswordMismatch: 'The passwords differ',
};

/** 123456789012 as the console prints it: 1234-5678-9012; an alias as is. */
export const accountLabel = (account: string): string => (/^\d{12}$/.test(account) ? account.replace(/^(\d{4})(\d{4})(\d{4})$/, '$1-$2-$3') : account);

/** The hidden field that carries the CSRF token in every form. */
export const csrfField = (token: string | undefined): SafeHtml => html`<input type="hidden" name="_csrf" value="${token ?? ''}">`;

export function alertBox(alert: Alert | undefined): SafeHtml | undefined {
  if (!alert) return undefined;
  const title = alert.title ?? (alert.code !== undefined ? (TITLES[alert.code] ?? alert.code) : undefined);
  // Errors interrupt (role=alert); confirmations are announced politely (role=status).
  return html`<div class="alert alert-${alert.kind}" role="${alert.kind === 'error' ? 'alert' : 'status'}" data-code="${alert.code ?? ''}">
  ${title === undefined ? '' : html`<p class="alert-title">${title}</p>`}
  <p class="alert-message">${alert.message}</p>
</div>`;
}

function accountMenu(identity: NonNullable<LayoutOptions['identity']>, csrfToken: string | undefined): SafeHtml {
  return html`<details class="account-menu">
  <summary><span class="visually-hidden">Account menu: </span>${identity.userName} @ ${accountLabel(identity.account)}</summary>
  <ul class="menu">
    <li><a href="/console/iam/security-credentials">My Security Credentials</a></li>
    <li><form method="post" action="/console/signout">${csrfField(csrfToken)}<button type="submit" class="menu-button">Sign out</button></form></li>
  </ul>
</details>`;
}

function sidebar(current: IamNav): SafeHtml {
  return html`<nav class="sidebar" aria-label="Identity and Access Management (IAM)">
  <p class="sidebar-title">Identity and Access Management (IAM)</p>
  <ul>${NAV.map((item) => html`<li><a href="${item.href}"${item.id === current ? html` aria-current="page"` : ''}>${item.label}</a></li>`)}</ul>
</nav>`;
}

function breadcrumbTrail(crumbs: LayoutOptions['breadcrumbs']): SafeHtml | undefined {
  if (!crumbs || crumbs.length === 0) return undefined;
  return html`<nav class="breadcrumbs" aria-label="Breadcrumbs"><ol>${crumbs.map((crumb) =>
    crumb.href === undefined ? html`<li aria-current="page">${crumb.label}</li>` : html`<li><a href="${crumb.href}">${crumb.label}</a></li>`,
  )}</ol></nav>`;
}

export function layout({ title, csrfToken, identity, nav, breadcrumbs, alert, body }: LayoutOptions): SafeHtml {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="csrf-token" content="${csrfToken ?? ''}">
<title>${title} | keyloop console</title>
<link rel="stylesheet" href="/console/assets/console.css">
<script src="/console/assets/console.js" defer></script>
</head>
<body>
<a class="skip-link" href="#main">Skip to main content</a>
<header class="topbar">
  <a class="brand" href="/console/home">keyloop <span>console</span></a>
  ${identity ? html`<nav class="services" aria-label="Services"><a href="/console/iam">IAM</a></nav>${accountMenu(identity, csrfToken)}` : ''}
</header>
<div class="frame${nav ? ' with-sidebar' : ''}">
${nav ? sidebar(nav) : ''}
<main id="main" tabindex="-1">
${breadcrumbTrail(breadcrumbs)}
<h1>${title}</h1>
${alertBox(alert)}
${body}
</main>
</div>
</body>
</html>
`;
}

/** A page that only reports a failure. */
export function errorPage({ csrfToken, alert }: { csrfToken: string | undefined; alert: Alert }): SafeHtml {
  const title = alert.code !== undefined ? (TITLES[alert.code] ?? 'Error') : 'Error';
  return layout({
    title,
    csrfToken,
    alert: { ...alert, title: alert.code },
    body: html`<p><a href="/console/home">Go to the console home</a> or <a href="/console/signin">sign in</a>.</p>`,
  });
}
