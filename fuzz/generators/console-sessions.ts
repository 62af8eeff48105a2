// Console sessions for the fuzz targets, made the way a browser makes them (the sign-in page, the
// password form, the page after the redirect), so that an input can be sent from any session
// state: anonymous, waiting for MFA, signed in.
import { csrfTokenOf } from '../../harness/browser/console-html.ts';
import { cookiePair, type ConsoleHttp, type ConsoleResponse } from './console-http.ts';

export interface HeldSession {
  /** `keyloop-console=ID`, as a Cookie header carries it. */
  cookie: string;
  csrfToken: string;
}

export interface PasswordSignIn {
  account: string;
  userName: string;
  password: string;
}

const consoleCookie = (response: ConsoleResponse): string | undefined =>
  response.setCookie.map(cookiePair).find((pair) => pair.startsWith('keyloop-console=') && pair !== 'keyloop-console=');

/** GET the page at `path` as `cookie` and read its CSRF token. */
async function pageToken(http: ConsoleHttp, path: string, cookie: string): Promise<string> {
  const page = await http.send({ method: 'GET', path, headers: { cookie } });
  const token = csrfTokenOf(page.text);
  if (page.status !== 200 || token === undefined) throw new Error(`console session: GET ${path} answered ${page.status} without a CSRF token`);
  return token;
}

/** A new anonymous session: the sign-in page's cookie and token. */
export async function anonymousSession(http: ConsoleHttp): Promise<HeldSession> {
  const page = await http.send({ method: 'GET', path: '/console/signin' });
  const cookie = consoleCookie(page);
  const csrfToken = csrfTokenOf(page.text);
  if (page.status !== 200 || cookie === undefined || csrfToken === undefined) throw new Error(`console session: GET /console/signin answered ${page.status} without a session`);
  return { cookie, csrfToken };
}

/**
 * The password step from a new anonymous session: a session signed in (Location /console/home) or
 * waiting for MFA (/console/signin/mfa), with the token of the page it lands on.
 */
export async function passwordSession(http: ConsoleHttp, { account, userName, password }: PasswordSignIn, origin: string): Promise<HeldSession & { location: string }> {
  const anonymous = await anonymousSession(http);
  const answer = await http.send({
    method: 'POST',
    path: '/console/signin',
    headers: { cookie: anonymous.cookie, origin, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: anonymous.csrfToken, account, username: userName, password }).toString(),
  });
  const cookie = consoleCookie(answer);
  if (answer.status !== 303 || answer.location === undefined || cookie === undefined) throw new Error(`console session: ${userName} could not sign in (${answer.status})`);
  return { cookie, csrfToken: await pageToken(http, answer.location, cookie), location: answer.location };
}
