// What any console answer must look like, whatever it was sent (emulator/console/README.md):
// never a 5xx; a page is HTML, and a failure page says why with an error alert whose code is one
// the console or IAM defines; a redirect goes to a page the console has; the page script's
// endpoints answer JSON `{ ok, code, message }`; and no page shows injected markup unescaped.
import { alertOf, type PageAlert } from '../../harness/browser/console-html.ts';
import { IAM_ERROR_STATUS } from '../../emulator/iam/errors.ts';
import type { RpRejectionCode } from '../../emulator/console/relying-party.ts';
import type { ConsoleResponse } from './console-http.ts';
import { unescapedMarkup } from './console-values.ts';

const RP_CODES = {
  'invalid-response': true,
  'wrong-type': true,
  'wrong-challenge': true,
  'wrong-origin': true,
  'wrong-rp-id': true,
  'user-not-present': true,
  'unsupported-attestation': true,
  'unknown-credential': true,
  'counter-not-increased': true,
} as const satisfies Record<RpRejectionCode, true>;

/** The console's own codes (routes, context, mount) next to IAM's and the relying party's. */
const CONSOLE_CODES = [
  'InvalidCsrfToken',
  'NotFound',
  'BadRequest',
  'RequestEntityTooLarge',
  'NotSignedIn',
  'InvalidCredentials',
  'PasswordMismatch',
  'NoPolicySelected',
  'NoSecurityKey',
  'no-ceremony',
  'credential-already-registered',
];

export const CONSOLE_ERROR_CODES: ReadonlySet<string> = new Set([
  ...CONSOLE_CODES,
  ...Object.keys(IAM_ERROR_STATUS).filter((code) => code !== 'ServiceFailure'),
  ...Object.keys(RP_CODES),
]);

/** Where the console redirects to: its own pages, nothing else. */
const DEFINED_PAGES = [
  /^\/console\/(home|signin|signin\/mfa)$/,
  /^\/console\/iam\/security-credentials\?mfa=open&notice=device-(assigned|removed)#mfa$/,
  /^\/console\/iam\/security-credentials\/mfa\/(assign|security-key\?name=[\w%+=,.@-]+)$/,
  /^\/console\/iam\/policies\?created=[^&#]*$/,
  /^\/console\/iam\/policies\/create\?tab=json$/,
  /^\/console\/iam\/users\/[^/?#]+\?notice=(policies-attached|policy-removed)$/,
];

export type ConsoleAnswer =
  /** Node's HTTP parser refused the request before the console saw it (RFC 6585 §5: headers too large). */
  | { kind: 'http-parser'; status: number }
  | { kind: 'redirect'; status: number; location: string }
  | { kind: 'page'; status: number; alert: PageAlert | undefined }
  | { kind: 'json'; status: number; ok: boolean; code: string | undefined; body: Record<string, unknown> };

const problem = (response: ConsoleResponse, what: string): Error =>
  new Error(`console answered ${response.status} (${response.contentType || 'no content type'}): ${what}\n${response.text.slice(0, 600)}`);

/** Reads an answer and throws if it breaks the rules above; `json` for the page script's endpoints. */
export function readAnswer(response: ConsoleResponse, expected: 'page' | 'json'): ConsoleAnswer {
  const { status } = response;
  if (status >= 500 || status < 200) throw problem(response, 'a status outside 2xx-4xx');
  if (status === 431 && response.text === '') return { kind: 'http-parser', status };
  if (status >= 300 && status < 400) {
    if (status !== 303 && status !== 302) throw problem(response, 'a redirect other than 302/303');
    const location = response.location ?? '';
    if (!DEFINED_PAGES.some((page) => page.test(location))) throw problem(response, `a redirect to an undefined page: ${JSON.stringify(location)}`);
    return { kind: 'redirect', status, location };
  }
  if (expected === 'json') {
    if (!response.contentType.startsWith('application/json')) throw problem(response, 'an endpoint of the page script answered without JSON');
    let body: unknown;
    try {
      body = JSON.parse(response.text);
    } catch {
      throw problem(response, 'unparseable JSON');
    }
    if (typeof body !== 'object' || body === null || typeof (body as { ok?: unknown }).ok !== 'boolean') throw problem(response, 'JSON without a boolean "ok"');
    const { ok, code } = body as { ok: boolean; code?: unknown };
    if (ok !== (status === 200)) throw problem(response, `ok ${ok} with status ${status}`);
    if (!ok && (typeof code !== 'string' || !CONSOLE_ERROR_CODES.has(code))) throw problem(response, `a failure with an undefined code ${JSON.stringify(code)}`);
    if (!ok) checkStatusOfCode(response, code as string);
    return { kind: 'json', status, ok, code: typeof code === 'string' ? code : undefined, body: body as Record<string, unknown> };
  }
  if (!response.contentType.startsWith('text/html')) throw problem(response, 'a page that is not HTML');
  const raw = unescapedMarkup(response.text);
  if (raw !== undefined) throw problem(response, `injected markup shown unescaped: ${raw}`);
  const alert = alertOf(response.text);
  if (status >= 400 && (alert?.kind !== 'error' || !CONSOLE_ERROR_CODES.has(alert.code))) {
    throw problem(response, `a failure page without an error alert of a defined code (alert ${JSON.stringify(alert)})`);
  }
  const own = pageAlert(response.text);
  if (own?.kind === 'error' && status < 400) throw problem(response, `a page that failed (${own.code}) answered ${status}`);
  if (status >= 400) checkStatusOfCode(response, alert!.code);
  return { kind: 'page', status, alert };
}

/** The page's own alert, which the layout puts right under the title (a section's alert is only part of it). */
function pageAlert(html: string): PageAlert | undefined {
  const title = html.indexOf('</h1>');
  if (title < 0) return undefined;
  const rest = html.slice(title + '</h1>'.length).trimStart();
  return rest.startsWith('<div class="alert ') ? alertOf(rest) : undefined;
}

/** Forbidden means forbidden: 403 for a denial or a refused CSRF token and for nothing else, and the reverse. */
const FORBIDDEN_CODES = new Set(['AccessDenied', 'InvalidCsrfToken']);

function checkStatusOfCode(response: ConsoleResponse, code: string): void {
  if ((response.status === 403) !== FORBIDDEN_CODES.has(code)) throw problem(response, `${code} answered with status ${response.status}`);
  if ((response.status === 413) !== (code === 'RequestEntityTooLarge')) throw problem(response, `${code} answered with status ${response.status}`);
}

/** A short name of an answer for the outcome tally: status and code, or where it redirects. */
export function answerLabel(answer: ConsoleAnswer): string {
  switch (answer.kind) {
    case 'http-parser':
      return `${answer.status} from the HTTP parser`;
    case 'redirect':
      return `${answer.status} -> ${answer.location.replace(/\?.*$/, '').replace(/^\/console\/iam\/users\/[^/]+$/, '/console/iam/users/:name')}`;
    case 'page':
      return `${answer.status}${answer.alert ? ` ${answer.alert.code || answer.alert.kind}` : ''}`;
    case 'json':
      return `${answer.status} ${answer.ok ? 'ok' : answer.code}`;
  }
}
