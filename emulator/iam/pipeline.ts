// What happens to an IAM or STS Query API request, in one place. `handleIamRequest` runs these
// stages in order; each either passes the request on or ends it with an AWS error:
//
//   1. parse         the form-encoded body into Query parameters, or for GET the query string
//                    (the server adapter has already read the body, refusing oversized ones)
//   2. route         the SigV4 credential scope names the service (iam or sts), `Action` the
//                    operation in the action table; `Version` must be the service's
//   3. authenticate  the signature from the Authorization header or a presigned query string;
//                    the access key (root, an IAM user's, or temporary credentials with their
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
import { constantTimeEqual } from '../util/constant-time.ts';
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
function findCredentials(deps: PipelineDeps, auth: Authorization, service: string): { caller: Caller; secret: string; check: () => void } {
  const { store, rootCredentials, clock } = deps;
  const keyId = auth.scope.accessKeyId;
  const accountId = store.accountId;
  // A session token belongs to temporary credentials: AWS refuses one sent with a long-term key.
  const longTermCheck = (): void => {
    if (auth.securityToken !== undefined) throw invalidToken();
  };
  if (keyId === rootCredentials.accessKeyId) {
    const caller: Caller = { kind: 'root', accountId, arn: `arn:aws:iam::${accountId}:root`, userId: accountId, userName: undefined, accessKeyId: keyId, session: undefined };
    return { caller, secret: rootCredentials.secretAccessKey, check: longTermCheck };
  }
  const key = store.accessKeys.find(keyId);
  if (key) {
    if (key.status !== 'Active') throw invalidToken();
    const user = store.users.get(key.userName);
    const caller: Caller = { kind: 'user', accountId, arn: user.arn, userId: user.userId, userName: user.userName, accessKeyId: keyId, session: undefined };
    return { caller, secret: key.secretAccessKey, check: longTermCheck };
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
    const sentToken = auth.securityToken;
    if (sentToken === undefined || !constantTimeEqual(sentToken, session.sessionToken)) throw invalidToken();
    if (session.expiration.getTime() <= clock()) throw new IamError('ExpiredToken', 'The security token included in the request is expired');
    // STS GetSessionToken: its credentials reach IAM only when MFA was proven.
    if (service === 'iam' && session.mfaAuthenticatedAt === undefined) throw invalidToken();
  };
  return { caller, secret: session.secretAccessKey, check };
}

/** Who asks, from where, and when: what the request context is built from. */
export interface CallerRequest {
  caller: Caller;
  /** Milliseconds since the epoch, read once per request. */
  now: number;
  sourceIp: string;
  secureTransport: boolean;
  /** The SigV4 scope's region (the console, which signs nothing, says us-east-1). */
  region: string;
  /** Hears the policy decision, denials included, and how long it took. */
  onDecision?: (decision: Decision, ms: number) => void;
}

/**
 * Stage 5 alone: AccessDenied unless the caller's policies allow `iamAction` on `resourceArn`.
 * The console uses it for what it does without an action handler (registering a security key
 * is authorized as iam:EnableMFADevice).
 */
export async function authorizeCall(authorize: Authorize, request: CallerRequest & { iamAction: string; resourceArn: string }): Promise<void> {
  const { caller, now, sourceIp, secureTransport, region, iamAction, resourceArn, onDecision } = request;
  const started = performance.now();
  const context = buildRequestContext({ caller, now, sourceIp, secureTransport, region });
  const result = await authorize({ principal: caller, action: iamAction, resourceArn, context });
  onDecision?.(result.decision, performance.now() - started);
  if (result.decision !== 'allowed') throw new IamError('AccessDenied', result.message ?? 'Access denied');
}

export interface ActionCall extends CallerRequest {
  action: ActionEntry;
  query: QueryParams;
}

/**
 * Stages 4 to 6 (validate, authorize, invoke) for a caller authenticated elsewhere: the Query API
 * after SigV4, the console after its sign-in. Failures are thrown as IamError.
 */
export async function invokeAction(deps: Pick<PipelineDeps, 'store' | 'authorize' | 'ids'>, call: ActionCall): Promise<ActionResult> {
  const { action, caller, now } = call;
  // 4. validate
  const params = validateParams(call.query, action.params);
  // 5. authorize
  if (action.resource !== null) {
    await authorizeCall(deps.authorize, { ...call, iamAction: action.iamAction, resourceArn: action.resource({ params, caller, store: deps.store }) });
  }
  // 6. invoke
  const ctx = { params, caller, store: deps.store, now, ids: deps.ids };
  return action.mutates ? deps.store.transaction(() => action.handler(ctx)) : await action.handler(ctx);
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
    const queryStart = request.url.indexOf('?');
    const queryString = queryStart < 0 ? '' : request.url.slice(queryStart + 1);
    const query = QueryParams.parse(request.method === 'GET' ? queryString : request.body.toString('utf8'));
    const auth = parseAuthorization(request.headers, queryString);
    // 2. route
    action = route(query, auth);
    // 3. authenticate
    const authStart = performance.now();
    const now = deps.clock();
    checkClockSkew(auth, now);
    const credentials = findCredentials(deps, auth, action.service);
    await verifySignature(
      {
        method: request.method,
        path: queryStart < 0 ? request.url : request.url.slice(0, queryStart),
        query: queryString,
        headers: request.headers,
        body: request.body,
      },
      auth,
      credentials.secret,
    );
    credentials.check();
    caller = credentials.caller;
    timings.authenticateMs = performance.now() - authStart;
    // 4 to 6: validate, authorize, invoke
    const result = await invokeAction(deps, {
      action,
      query,
      caller,
      now,
      sourceIp: request.sourceIp,
      secureTransport: request.secure,
      region: auth.scope.region,
      onDecision: (made, ms) => {
        decision = made;
        timings.authorizeMs = ms;
      },
    });
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
