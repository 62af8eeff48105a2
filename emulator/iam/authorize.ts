// Authorization of a request against the caller's identity-based policies (attached, inline and
// through groups; the root user is always allowed), with AWS's AccessDenied wording.
//
// Decisions are cached: a decision is a function of the policies, the action, the resource and
// the values of the context keys the policies mention, so the cache key holds exactly those, plus
// the store's generation, which moves on every write. Policies that read a clock-like key
// (aws:CurrentTime, …) are evaluated every time.
import type { Caller, RequestContext } from './caller.ts';
import { evaluatePolicies, type Decision, type EvaluationPolicy, type MatchedStatement } from './evaluate.ts';
import type { IamStore, IdentityPolicy } from './store/store.ts';

export interface AuthorizeRequest {
  principal: Pick<Caller, 'kind' | 'arn' | 'userName' | 'accountId'>;
  /** `service:Action`, e.g. `iam:ListMFADevices`. */
  action: string;
  /** The resource as AccessDenied names it (e.g. `arn:aws:iam::123456789012:user/alice`). */
  resourceArn: string;
  context: RequestContext;
}

export interface AuthorizationResult {
  decision: Decision;
  matchedStatements: MatchedStatement[];
  /** AccessDenied's message, for the denials. */
  message: string | undefined;
}

export type Authorize = (request: AuthorizeRequest) => Promise<AuthorizationResult>;

export function accessDeniedMessage({ principalArn, action, resourceArn, decision }: { principalArn: string; action: string; resourceArn: string; decision: Decision }): string | undefined {
  const head = `User: ${principalArn} is not authorized to perform: ${action} on resource: ${resourceArn}`;
  if (decision === 'explicitDeny') return `${head} with an explicit deny in an identity-based policy`;
  if (decision === 'implicitDeny') return `${head} because no identity-based policy allows the ${action} action`;
  return undefined;
}

/** Context keys the policies can read (condition keys and `${…}` variables), one per key ignoring case. */
export function referencedContextKeys(documents: readonly string[]): string[] {
  const keys = new Map<string, string>();
  const add = (key: string): void => {
    if (!keys.has(key.toLowerCase())) keys.set(key.toLowerCase(), key);
  };
  for (const text of documents) {
    for (const m of text.matchAll(/\$\{([^}]+)\}/g)) add(m[1].split(',')[0].trim());
    const document = JSON.parse(text) as { Statement?: unknown };
    const statements = Array.isArray(document.Statement) ? document.Statement : [document.Statement];
    for (const statement of statements as Array<{ Condition?: Record<string, Record<string, unknown>> }>) {
      for (const block of Object.values(statement?.Condition ?? {})) for (const key of Object.keys(block)) add(key);
    }
  }
  return [...keys.values()].sort();
}

const CLOCK_KEYS = new Set(['aws:currenttime', 'aws:epochtime', 'aws:multifactorauthage', 'aws:tokenissuetime']);

interface PrincipalPolicies {
  generation: string;
  policies: EvaluationPolicy[];
  keys: string[];
  cacheable: boolean;
  decisions: Map<string, AuthorizationResult>;
}

export interface CreateAuthorizerOptions {
  store: IamStore;
  /** Principals whose policies are kept parsed; decisions kept per principal. */
  cacheSize?: number;
}

export const toEvaluationPolicy = (policy: IdentityPolicy): EvaluationPolicy => ({
  id: policy.id,
  sourceType: policy.sourceType,
  text: policy.document,
  document: JSON.parse(policy.document),
});

export function createAuthorizer({ store, cacheSize = 1000 }: CreateAuthorizerOptions): Authorize {
  const principals = new Map<string, PrincipalPolicies>();

  const policiesOf = (userName: string): PrincipalPolicies => {
    const generation = store.generation();
    const cached = principals.get(userName);
    if (cached && cached.generation === generation) return cached;
    const identityPolicies = store.identityPolicies(userName);
    const keys = referencedContextKeys(identityPolicies.map((p) => p.document)).map((key) => key.toLowerCase());
    const entry: PrincipalPolicies = {
      generation,
      policies: identityPolicies.map(toEvaluationPolicy),
      keys,
      cacheable: !keys.some((key) => CLOCK_KEYS.has(key)),
      decisions: new Map(),
    };
    if (principals.size >= cacheSize) principals.clear();
    principals.set(userName, entry);
    return entry;
  };

  return async ({ principal, action, resourceArn, context }) => {
    if (principal.kind === 'root' || principal.userName === undefined) {
      return { decision: 'allowed', matchedStatements: [], message: undefined };
    }
    const entry = policiesOf(principal.userName);
    let cacheKey: string | undefined;
    if (entry.cacheable) {
      const lower = new Map(Object.entries(context).map(([key, value]) => [key.toLowerCase(), value]));
      cacheKey = [principal.arn, action, resourceArn, ...entry.keys.map((key) => lower.get(key) ?? '\u0000')].join('\u0001');
      const hit = entry.decisions.get(cacheKey);
      if (hit) return hit;
    }
    const { decision, matchedStatements } = await evaluatePolicies({
      principalArn: principal.arn,
      accountId: principal.accountId,
      action,
      resourceArn,
      policies: entry.policies,
      context,
    });
    const result: AuthorizationResult = {
      decision,
      matchedStatements,
      message: accessDeniedMessage({ principalArn: principal.arn, action, resourceArn, decision }),
    };
    if (cacheKey !== undefined) {
      if (entry.decisions.size >= cacheSize * 10) entry.decisions.clear();
      entry.decisions.set(cacheKey, result);
    }
    return result;
  };
}
