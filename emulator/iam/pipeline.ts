// What happens to an IAM or STS Query API request, in one place. `handleIamRequest` runs these
// stages in order; each either passes the request on or ends it with an AWS error:
//
//   1. parse         the form-encoded body into Query parameters (the server adapter has already
//                    read it, refusing oversized bodies)
//   2. route         the SigV4 credential scope names the service (iam or sts), `Action` the
//                    operation in the action table; `Version` must be the service's
//   3. authenticate  the access key (root, an IAM user's, or temporary credentials with their
//                    session token), the 15-minute clock window, then the signature itself
//   4. validate      parameters against the action's rules (ValidationError)
//   5. authorize     the caller's identity policies, with the request context (AccessDenied)
//   6. invoke        the handler; actions that write run inside one store transaction
//   7. serialize     the result as `<ActionResponse>` XML, or the error as `<ErrorResponse>`
//
// Every answer carries x-amzn-RequestId. Errors are IamError data; anything else thrown becomes
// ServiceFailure (500) for that request only, and the server keeps serving.
import { randomUUID } from 'node:crypto';
import { findAction, SERVICES, type ActionEntry } from './actions/table.ts';
import type { ActionResult } from './actions/action.ts';
import type { Authorize } from './authorize.ts';
import { buildRequestContext, type Caller } from './caller.ts';
import type { Decision } from './evaluate.ts';
import { IamError } from './errors.ts';
import type { IdSource } from './ids.ts';
import { QueryParams } from './query-params.ts';
import { checkClockSkew, parseAuthorization, verifySignature, type Authorization, type HeaderBag } from './sigv4.ts';
import type { IamStore } from './store/store.ts';
import { validateParams } from './validation.ts';
import { errorXml, successXml } from './xml.ts';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** The HTTP request as the server adapter hands it over. */
export interface IamHttpRequest {
  method: string;
  /** Request target: path and query string. */
  url: string;
  headers: HeaderBag;
  body: Buffer;
  sourceIp: string;
  secure: boolean;
}

export interface IamHttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Read-only report of one request, for recorders and the benchmark. */
export interface IamRequestEvent {
  requestId: string;
  service: string | undefined;
  action: string | undefined;
  callerArn: string | undefined;
  decision: Decision | undefined;
  status: number;
  errorCode: string | undefined;
  /** Milliseconds spent verifying the signature, evaluating policies, and in total. */
  timings: { authenticateMs: number; authorizeMs: number; totalMs: number };
}

export interface IamLogger {
  info(message: string): void;
  error(message: string, error?: unknown): void;
}

export interface PipelineDeps {
  store: IamStore;
  authorize: Authorize;
  rootCredentials: Credentials;
  ids: IdSource;
  clock: () => number;
  logger: IamLogger;
  onRequest: ((event: IamRequestEvent) => void) | undefined;
}

/** An AWS error answer, also for the adapter's own refusals (an oversized body). */
export function errorResponse(error: IamError, requestId: string = randomUUID(), service: keyof typeof SERVICES = 'iam'): IamHttpResponse {
  return {
    status: error.status,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
    body: errorXml({ namespace: SERVICES[service].namespace, error, requestId }),
  };
}

function route(query: QueryParams, auth: Authorization): ActionEntry {
  const service = auth.scope.service;
  if (service !== 'iam' && service !== 'sts') {
    throw new IamError('SignatureDoesNotMatch', `Credential should be scoped to correct service: 'iam' or 'sts', not '${service}'.`);
  }
  const name = query.get('Action');
  if (name === undefined || name === '') throw new IamError('MissingAction', 'Missing Action');
  const version = query.get('Version') ?? SERVICES[service].version;
  const action = findAction(service, name);
  if (!action || version !== SERVICES[service].version) throw new IamError('InvalidAction', `Could not find operation ${name} for version ${version}`);
  return action;
}

const invalidToken = (): IamError => new IamError('InvalidClientTokenId', 'The security token included in the request is invalid');

/** The caller and their secret, from whichever kind of key signed the request. */
function findCredentials(deps: PipelineDeps, auth: Authorization, headers: HeaderBag, service: string): { caller: Caller; secret: string; check: () => void } {
  const { store, rootCredentials, clock } = deps;
  const keyId = auth.scope.accessKeyId;
  const accountId = store.accountId;
  if (keyId === rootCredentials.accessKeyId) {
    const caller: Caller = { kind: 'root', accountId, arn: `arn:aws:iam::${accountId}:root`, userId: accountId, userName: undefined, accessKeyId: keyId, session: undefined };
    return { caller, secret: rootCredentials.secretAccessKey, check: () => {} };
  }
  const key = store.accessKeys.find(keyId);
  if (key) {
    if (key.status !== 'Active') throw invalidToken();
    const user = store.users.get(key.userName);
    const caller: Caller = { kind: 'user', accountId, arn: user.arn, userId: user.userId, userName: user.userName, accessKeyId: keyId, session: undefined };
    return { caller, secret: key.secretAccessKey, check: () => {} };
  }
  const session = store.sessions.find(keyId);
  if (!session) throw invalidToken();
  const user = session.userName === undefined ? undefined : store.users.find(session.userName);
  if (session.userName !== undefined && !user) throw invalidToken();
  const caller: Caller = user
    ? { kind: 'user', accountId, arn: user.arn, userId: user.userId, userName: user.userName, accessKeyId: keyId, session }
    : { kind: 'root', accountId, arn: `arn:aws:iam::${accountId}:root`, userId: accountId, userName: undefined, accessKeyId: keyId, session };
  // Checked once the signature is known to be good, so a guessed key id learns nothing.
  const check = (): void => {
    if (headers['x-amz-security-token'] !== session.sessionToken) throw invalidToken();
    if (session.expiration.getTime() <= clock()) throw new IamError('ExpiredToken', 'The security token included in the request is expired');
    // STS GetSessionToken: its credentials reach IAM only when MFA was proven.
    if (service === 'iam' && session.mfaAuthenticatedAt === undefined) throw invalidToken();
  };
  return { caller, secret: session.secretAccessKey, check };
}

export async function handleIamRequest(deps: PipelineDeps, request: IamHttpRequest): Promise<IamHttpResponse> {
  const started = performance.now();
  const requestId = randomUUID();
  const timings = { authenticateMs: 0, authorizeMs: 0, totalMs: 0 };
  let action: ActionEntry | undefined;
  let caller: Caller | undefined;
  let decision: Decision | undefined;
  let errorCode: string | undefined;
  let response: IamHttpResponse;
  try {
    // 1. parse
    const query = QueryParams.parse(request.body.toString('utf8'));
    const auth = parseAuthorization(request.headers);
    // 2. route
    action = route(query, auth);
    // 3. authenticate
    const authStart = performance.now();
    const now = deps.clock();
    checkClockSkew(auth, now);
    const credentials = findCredentials(deps, auth, request.headers, action.service);
    const queryStart = request.url.indexOf('?');
    await verifySignature(
      {
        method: request.method,
        path: queryStart < 0 ? request.url : request.url.slice(0, queryStart),
        query: queryStart < 0 ? '' : request.url.slice(queryStart + 1),
        headers: request.headers,
        body: request.body,
      },
      auth,
      credentials.secret,
    );
    credentials.check();
    caller = credentials.caller;
    timings.authenticateMs = performance.now() - authStart;
    // 4. validate
    const params = validateParams(query, action.params);
    // 5. authorize
    if (action.resource !== null) {
      const authorizeStart = performance.now();
      const resourceArn = action.resource({ params, caller, store: deps.store });
      const context = buildRequestContext({ caller, now, sourceIp: request.sourceIp, secureTransport: request.secure, region: auth.scope.region });
      const result = await deps.authorize({ principal: caller, action: action.iamAction, resourceArn, context });
      decision = result.decision;
      timings.authorizeMs = performance.now() - authorizeStart;
      if (result.decision !== 'allowed') throw new IamError('AccessDenied', result.message ?? 'Access denied');
    }
    // 6. invoke
    const ctx = { params, caller, store: deps.store, now, ids: deps.ids };
    const entry = action;
    const result: ActionResult = entry.mutates ? deps.store.transaction(() => entry.handler(ctx)) : await entry.handler(ctx);
    // 7. serialize
    response = {
      status: 200,
      headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
      body: successXml({ action: action.name, namespace: SERVICES[action.service].namespace, result, requestId }),
    };
  } catch (thrown) {
    let error: IamError;
    if (thrown instanceof IamError) {
      error = thrown;
    } else {
      deps.logger.error(`request ${requestId} (${action?.iamAction ?? 'unrouted'}) failed`, thrown);
      error = new IamError('ServiceFailure', 'The request processing has failed because of an unknown error, exception or failure.');
    }
    errorCode = error.code;
    response = errorResponse(error, requestId, action?.service ?? 'iam');
  }
  timings.totalMs = performance.now() - started;
  if (deps.onRequest) {
    try {
      deps.onRequest({ requestId, service: action?.service, action: action?.name, callerArn: caller?.arn, decision, status: response.status, errorCode, timings });
    } catch (error) {
      deps.logger.error('onRequest hook failed', error);
    }
  }
  return response;
}
