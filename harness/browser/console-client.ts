// The mock console driven from code over HTTP: the same pages and form posts a browser makes, a
// cookie jar, the CSRF token of the latest page, and WebAuthn ceremonies answered by whatever
// plays the browser's authenticator (our WebAuthnClient on a token, python-fido2, ...). Scenarios
// walk the workshop's console steps with it; the browser bridge walks the same pages in Chromium.
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { alertOf, attributeValues, csrfTokenOf, hiddenFieldsOf, policyChoicesOf, type PageAlert } from './console-html.ts';

/** navigator.credentials in JSON form; WebAuthnClient fits. */
export interface CredentialsApi {
  create(options: PublicKeyCredentialCreationOptionsJSON): Promise<RegistrationResponseJSON>;
  get(options: PublicKeyCredentialRequestOptionsJSON): Promise<AuthenticationResponseJSON>;
}

/** One HTTP exchange, for recorders (read-only). */
export interface ConsoleExchange {
  method: string;
  url: string;
  status: number;
  ms: number;
}

export interface ConsoleClientOptions {
  /** The console's entry URL as this client reaches it, e.g. `http://localhost:4566/console`. */
  baseUrl: string;
  /** The Origin header sent with posts, as a browser on the console's page would; default baseUrl's origin. */
  origin?: string;
  /** Answers the console's WebAuthn requests; needed only for the security key steps. */
  credentials?: CredentialsApi;
  onExchange?: (exchange: ConsoleExchange) => void;
}

export interface ConsolePage {
  url: string;
  status: number;
  html: string;
  alert: PageAlert | undefined;
}

export type ConsoleResult<T> = { ok: true; value: T } | { ok: false; code: string; message: string };

export type MfaMethod = 'security-key' | 'authenticator-app';

export type SignInResult = { step: 'signed-in' } | { step: 'mfa-required'; methods: MfaMethod[] };

export interface MfaDevice {
  serialNumber: string;
  kind: MfaMethod;
}

const MAX_REDIRECTS = 5;
/** Where My Security Credentials' sections start: each shows its own outcome. */
const MFA_SECTION = 'id="mfa"';
const PASSWORD_SECTION = 'id="password-heading"';

const failure = (code: string, message: string): { ok: false; code: string; message: string } => ({ ok: false, code, message });

/** A page that should have shown an outcome but shows none is a failure in its own right. */
const pageFailure = (page: ConsolePage, what: string) =>
  failure(page.alert?.code || `HTTP${page.status}`, page.alert?.message ?? `${what}: the console answered ${page.status} at ${page.url}`);

export class ConsoleClient {
  readonly #base: URL;
  readonly #origin: string;
  readonly #credentials: CredentialsApi | undefined;
  readonly #onExchange: ((exchange: ConsoleExchange) => void) | undefined;
  readonly #cookies = new Map<string, string>();
  #csrfToken: string | undefined;

  constructor({ baseUrl, origin, credentials, onExchange }: ConsoleClientOptions) {
    this.#base = new URL(baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
    this.#origin = origin ?? this.#base.origin;
    this.#credentials = credentials;
    this.#onExchange = onExchange;
  }

  /** The CSRF token of the latest page (what a page's forms and script send). */
  get csrfToken(): string | undefined {
    return this.#csrfToken;
  }

  // ---- HTTP -------------------------------------------------------------------------------

  #url(path: string): URL {
    return new URL(path.replace(/^\//, ''), this.#base);
  }

  async #send(method: string, url: URL, body?: { type: string; text: string }, headers: Record<string, string> = {}): Promise<Response> {
    const started = performance.now();
    const cookie = [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(url, {
      method,
      redirect: 'manual',
      headers: {
        ...(cookie === '' ? {} : { cookie }),
        ...(method === 'GET' ? {} : { origin: this.#origin }),
        ...(body ? { 'content-type': body.type } : {}),
        ...headers,
      },
      body: body?.text,
    });
    for (const line of response.headers.getSetCookie()) this.#storeCookie(line);
    this.#onExchange?.({ method, url: url.href, status: response.status, ms: performance.now() - started });
    return response;
  }

  #storeCookie(line: string): void {
    const [pair, ...attributes] = line.split(';');
    const eq = pair.indexOf('=');
    if (eq <= 0) return;
    const name = pair.slice(0, eq).trim();
    const expired = attributes.some((attribute) => /^\s*max-age\s*=\s*0\s*$/i.test(attribute));
    if (expired) this.#cookies.delete(name);
    else this.#cookies.set(name, pair.slice(eq + 1).trim());
  }

  /** Follows redirects as a browser does after a form post (303: GET the new location). */
  async #page(response: Response, url: URL): Promise<ConsolePage> {
    let current = response;
    let location = url;
    for (let hops = 0; current.status >= 300 && current.status < 400; hops++) {
      const next = current.headers.get('location');
      if (next === null || hops >= MAX_REDIRECTS) break;
      await current.body?.cancel();
      location = new URL(next, location);
      current = await this.#send('GET', location);
    }
    const html = await current.text();
    this.#csrfToken = csrfTokenOf(html) ?? this.#csrfToken;
    return { url: location.href, status: current.status, html, alert: alertOf(html) };
  }

  /** GET a console page (path relative to the console, e.g. `iam/users`). */
  async get(path: string): Promise<ConsolePage> {
    const url = this.#url(path);
    return this.#page(await this.#send('GET', url), url);
  }

  /** Post a form as its page would, with the CSRF token unless `fields` has its own `_csrf`. */
  async postForm(path: string, fields: Record<string, string | readonly string[]>): Promise<ConsolePage> {
    const body = new URLSearchParams();
    if (!('_csrf' in fields) && this.#csrfToken !== undefined) body.append('_csrf', this.#csrfToken);
    for (const [name, value] of Object.entries(fields)) for (const item of typeof value === 'string' ? [value] : value) body.append(name, item);
    const url = this.#url(path);
    return this.#page(await this.#send('POST', url, { type: 'application/x-www-form-urlencoded', text: body.toString() }), url);
  }

  /** Post JSON as the page script does, with the CSRF token in x-csrf-token (`csrfToken: null` sends none). */
  async postJson(path: string, body: unknown, { csrfToken = this.#csrfToken }: { csrfToken?: string | null } = {}): Promise<{ status: number; body: Record<string, unknown> }> {
    const headers: Record<string, string> = typeof csrfToken === 'string' ? { 'x-csrf-token': csrfToken } : {};
    const response = await this.#send('POST', this.#url(path), { type: 'application/json', text: JSON.stringify(body) }, headers);
    const text = await response.text();
    try {
      return { status: response.status, body: JSON.parse(text) as Record<string, unknown> };
    } catch {
      return { status: response.status, body: { ok: false, code: `HTTP${response.status}`, message: text.slice(0, 200) } };
    }
  }

  // ---- Sign-in --------------------------------------------------------------------------------

  async signIn({ account, userName, password }: { account: string; userName: string; password: string }): Promise<ConsoleResult<SignInResult>> {
    await this.get('signin');
    const page = await this.postForm('signin', { account, username: userName, password });
    if (page.url.endsWith('/console/home')) return { ok: true, value: { step: 'signed-in' } };
    if (page.url.endsWith('/console/signin/mfa')) {
      const methods: MfaMethod[] = [];
      if (page.html.includes('data-webauthn="sign-in"')) methods.push('security-key');
      if (page.html.includes('action="/console/signin/mfa-code"')) methods.push('authenticator-app');
      return { ok: true, value: { step: 'mfa-required', methods } };
    }
    return pageFailure(page, 'sign-in');
  }

  /** The "Use your security key" step: options, navigator.credentials.get, verification. */
  async useSecurityKey(): Promise<ConsoleResult<{ redirect: string }>> {
    const outcome = await this.#ceremony('api/signin/options', {}, 'api/signin/verify', (options) => this.#needCredentials().get(options as unknown as PublicKeyCredentialRequestOptionsJSON));
    if (!outcome.ok) return outcome;
    await this.get(String(outcome.value.redirect).replace(/^\/console\//, ''));
    return { ok: true, value: { redirect: String(outcome.value.redirect) } };
  }

  async signInWithCode(code: string): Promise<ConsoleResult<void>> {
    const page = await this.postForm('signin/mfa-code', { code });
    return page.url.endsWith('/console/home') ? { ok: true, value: undefined } : pageFailure(page, 'MFA code');
  }

  async signOut(): Promise<void> {
    await this.postForm('signout', {});
  }

  // ---- IAM pages ------------------------------------------------------------------------------

  /** Whether the IAM dashboard recommends "Enable MFA" for the signed-in user. */
  async dashboard(): Promise<ConsoleResult<{ recommendsEnableMfa: boolean }>> {
    const page = await this.get('iam');
    if (page.status !== 200) return pageFailure(page, 'dashboard');
    return { ok: true, value: { recommendsEnableMfa: />Enable MFA<\/a>/.test(page.html) } };
  }

  /** Policies, Create policy, JSON tab, Next: Tags (tags), Next: Review, Name, Create policy. */
  async createPolicy({
    name,
    document,
    description = '',
    tags = [],
  }: {
    name: string;
    document: string;
    description?: string;
    tags?: ReadonlyArray<{ key: string; value: string }>;
  }): Promise<ConsoleResult<void>> {
    await this.get('iam/policies');
    await this.get('iam/policies/create?tab=json');
    const tagRows = await this.postForm('iam/policies/create', { document, step: 'tags' });
    if (!tagRows.html.includes('value="review"')) return pageFailure(tagRows, 'Next: Tags');
    const withTags = { document, tagKey: tags.map((tag) => tag.key), tagValue: tags.map((tag) => tag.value) };
    const review = await this.postForm('iam/policies/create', { ...withTags, step: 'review' });
    if (!review.html.includes('value="create"')) return pageFailure(review, 'Next: Review');
    const created = await this.postForm('iam/policies/create', { ...withTags, step: 'create', name, description });
    return created.alert?.kind === 'success' ? { ok: true, value: undefined } : pageFailure(created, 'Create policy');
  }

  /** Users, the user, Add permissions, tick the policies by name, Add permissions. */
  async attachPolicies(userName: string, policyNames: readonly string[]): Promise<ConsoleResult<void>> {
    const path = `iam/users/${encodeURIComponent(userName)}/add-permissions`;
    const page = await this.get(path);
    if (page.status !== 200) return pageFailure(page, 'Add permissions');
    const choices = policyChoicesOf(page.html);
    const missing = policyNames.filter((name) => !choices.some((choice) => choice.name === name));
    if (missing.length > 0) return failure('NoSuchEntity', `Add permissions lists no policy named ${missing.join(', ')}`);
    const arns = choices.filter((choice) => policyNames.includes(choice.name) && !choice.attached).map((choice) => choice.arn);
    if (arns.length === 0) return { ok: true, value: undefined };
    const result = await this.postForm(path, { policyArn: arns });
    return result.alert?.kind === 'success' ? { ok: true, value: undefined } : pageFailure(result, 'Add permissions');
  }

  // ---- My Security Credentials ------------------------------------------------------------

  /** The MFA section's devices (ListMFADevices as the signed-in user). */
  async listMfaDevices(): Promise<ConsoleResult<MfaDevice[]>> {
    const page = await this.get('iam/security-credentials?mfa=open');
    if (page.status !== 200) return pageFailure(page, 'My Security Credentials');
    const alert = alertOf(page.html, MFA_SECTION);
    if (alert?.kind === 'error') return failure(alert.code, alert.message);
    const serials = attributeValues(page.html, 'data-serial');
    return { ok: true, value: serials.map((serialNumber) => ({ serialNumber, kind: serialNumber.includes(':u2f/') ? 'security-key' : 'authenticator-app' })) };
  }

  async changePassword({ oldPassword, newPassword }: { oldPassword: string; newPassword: string }): Promise<ConsoleResult<void>> {
    await this.get('iam/security-credentials');
    const page = await this.postForm('iam/security-credentials/password', { oldPassword, newPassword, confirmPassword: newPassword });
    const alert = alertOf(page.html, PASSWORD_SECTION);
    if (alert?.code === 'PasswordChanged') return { ok: true, value: undefined };
    return alert ? failure(alert.code, alert.message) : pageFailure(page, 'Change password');
  }

  /** Assign MFA device, name, Security key, Continue; then the key's registration. */
  async registerSecurityKey(deviceName: string): Promise<ConsoleResult<{ serialNumber: string }>> {
    await this.get('iam/security-credentials/mfa/assign');
    const step2 = await this.postForm('iam/security-credentials/mfa/assign', { name: deviceName, type: 'security-key' });
    if (!step2.html.includes('data-webauthn="register"')) return pageFailure(step2, 'Assign MFA device');
    const outcome = await this.#ceremony('api/mfa/security-key/options', { deviceName }, 'api/mfa/security-key/verify', (options) =>
      this.#needCredentials().create(options as unknown as PublicKeyCredentialCreationOptionsJSON),
    );
    return outcome.ok ? { ok: true, value: { serialNumber: String(outcome.value.serialNumber) } } : outcome;
  }

  /** Assign MFA device, name, Authenticator app, Continue: the new device's serial and secret. */
  async beginAuthenticatorApp(deviceName: string): Promise<ConsoleResult<{ serialNumber: string; seedBase32: string }>> {
    await this.get('iam/security-credentials/mfa/assign');
    const page = await this.postForm('iam/security-credentials/mfa/assign', { name: deviceName, type: 'authenticator-app' });
    const fields = hiddenFieldsOf(page.html, '/console/iam/security-credentials/mfa/authenticator-app');
    if (fields.serialNumber === undefined || fields.seed === undefined) return pageFailure(page, 'Assign MFA device');
    return { ok: true, value: { serialNumber: fields.serialNumber, seedBase32: fields.seed } };
  }

  async finishAuthenticatorApp({ serialNumber, seedBase32, code1, code2 }: { serialNumber: string; seedBase32: string; code1: string; code2: string }): Promise<ConsoleResult<void>> {
    const page = await this.postForm('iam/security-credentials/mfa/authenticator-app', { serialNumber, seed: seedBase32, code1, code2 });
    return page.alert?.kind === 'success' ? { ok: true, value: undefined } : pageFailure(page, 'Add MFA');
  }

  async removeMfaDevice(serialNumber: string): Promise<ConsoleResult<void>> {
    await this.get('iam/security-credentials?mfa=open');
    const page = await this.postForm('iam/security-credentials/mfa/remove', { serialNumber });
    return page.alert?.kind === 'success' ? { ok: true, value: undefined } : pageFailure(page, 'Remove');
  }

  // ---- WebAuthn ---------------------------------------------------------------------------

  #needCredentials(): CredentialsApi {
    if (!this.#credentials) throw new TypeError('ConsoleClient: the security key steps need `credentials` (e.g. a WebAuthnClient on a token)');
    return this.#credentials;
  }

  /** What the page script does: options, the browser call, verification; errors by name. */
  async #ceremony(
    optionsPath: string,
    request: unknown,
    verifyPath: string,
    browser: (options: Record<string, unknown>) => Promise<unknown>,
  ): Promise<ConsoleResult<Record<string, unknown>>> {
    const begin = await this.postJson(optionsPath, request);
    if (begin.body.ok !== true) return failure(String(begin.body.code), String(begin.body.message));
    let credential: unknown;
    try {
      credential = await browser(begin.body.options as Record<string, unknown>);
    } catch (error) {
      // A browser rejects with a DOMException; the page shows its name.
      const name = error instanceof Error ? error.name : 'Error';
      return failure(name, error instanceof Error ? error.message : String(error));
    }
    const finish = await this.postJson(verifyPath, { credential });
    if (finish.body.ok !== true) return failure(String(finish.body.code), String(finish.body.message));
    return { ok: true, value: finish.body };
  }
}
