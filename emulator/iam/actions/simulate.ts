// IAM API Reference: SimulatePrincipalPolicy and SimulateCustomPolicy, with ContextEntries. One
// EvaluationResult per action and resource, with the statements that decided it, where they sit
// in their policy's text, and the context keys the policies read that the request did not give.
import { parseIamArn } from '../arns.ts';
import { referencedContextKeys, toEvaluationPolicy } from '../authorize.ts';
import { invalidInput, noSuchEntity } from '../errors.ts';
import { evaluatePolicies, type EvaluationPolicy } from '../evaluate.ts';
import { parsePolicyDocument } from '../policy-document.ts';
import type { QueryParams } from '../query-params.ts';
import { rules } from '../rules.ts';
import { statementSpans } from '../statement-positions.ts';
import { list, required, structs, type ParamSpec } from '../validation.ts';
import type { XmlObject } from '../xml.ts';
import type { ActionContext, ActionSpec } from './action.ts';
import { listResult } from './common.ts';

const CONTEXT_KEY_TYPES = new Set(['string', 'stringList', 'numeric', 'numericList', 'boolean', 'booleanList', 'ip', 'ipList', 'binary', 'binaryList', 'date', 'dateList']);

const common: ParamSpec = {
  ActionNames: required(list(rules.actionName, 1)),
  ResourceArns: list(rules.resourceArn),
  ContextEntries: structs(),
  CallerArn: rules.arn,
  Marker: rules.marker,
  MaxItems: rules.maxItems,
};

/** ContextEntries as context values: list types as lists, the others as their one value. */
function contextEntries(entries: QueryParams[]): Record<string, string | string[]> {
  const context: Record<string, string | string[]> = {};
  entries.forEach((entry, i) => {
    const name = entry.get('ContextKeyName');
    const type = entry.get('ContextKeyType');
    const values = entry.list('ContextKeyValues') ?? [];
    if (name === undefined || name.length < 5 || name.length > 256) throw invalidInput(`ContextEntries.member.${i + 1}.ContextKeyName must be 5 to 256 characters.`);
    if (type === undefined || !CONTEXT_KEY_TYPES.has(type)) throw invalidInput(`ContextEntries.member.${i + 1}.ContextKeyType must be one of ${[...CONTEXT_KEY_TYPES].join(', ')}.`);
    if (!type.endsWith('List') && values.length !== 1) throw invalidInput(`Context key ${name} of type ${type} takes exactly one value.`);
    context[name] = type.endsWith('List') ? values : values[0];
  });
  return context;
}

function inputPolicies(texts: readonly string[]): EvaluationPolicy[] {
  return texts.map((text, i) => ({ id: `PolicyInputList.${i + 1}`, sourceType: 'IAM Policy', text, document: parsePolicyDocument(text) }));
}

/** The keys AWS fills in for a simulated caller given by ARN (needed for ${aws:username}). */
function callerContext({ store }: ActionContext, callerArn: string | undefined): Record<string, string> {
  if (callerArn === undefined) return {};
  const arn = parseIamArn(callerArn);
  if (arn?.type !== 'user') throw invalidInput(`CallerArn ${callerArn} is not an IAM user ARN.`);
  const user = store.users.find(arn.name);
  return { 'aws:username': arn.name, 'aws:PrincipalArn': callerArn, ...(user && { 'aws:userid': user.userId }) };
}

async function simulate(ctx: ActionContext, { principalArn, policies, callerArn }: { principalArn: string; policies: EvaluationPolicy[]; callerArn: string | undefined }): Promise<XmlObject> {
  const { params, store } = ctx;
  const context = { ...callerContext(ctx, callerArn), ...contextEntries(params.structs('ContextEntries')) };
  const given = new Set(Object.keys(context).map((key) => key.toLowerCase()));
  const missing = referencedContextKeys(policies.map((p) => p.text)).filter((key) => !given.has(key.toLowerCase()));
  const results: XmlObject[] = [];
  for (const action of params.list('ActionNames') ?? []) {
    for (const resource of params.list('ResourceArns') ?? ['*']) {
      const { decision, matchedStatements } = await evaluatePolicies({ principalArn, accountId: store.accountId, action, resourceArn: resource, policies, context });
      results.push({
        EvalActionName: action,
        EvalResourceName: resource,
        EvalDecision: decision,
        MatchedStatements: matchedStatements.map(({ policy, statementNumber }) => ({
          SourcePolicyId: policy.id,
          SourcePolicyType: policy.sourceType,
          ...statementSpans(policy.text)[statementNumber - 1],
        })),
        MissingContextValues: missing,
      });
    }
  }
  return listResult('EvaluationResults', results, ctx, (r) => r);
}

export const SimulatePrincipalPolicy: ActionSpec = {
  service: 'iam',
  params: { PolicySourceArn: required(rules.arn), PolicyInputList: list(rules.policyDocument), ...common },
  // Checked before authorization, so that every caller gets the same answer for a source that is
  // not a user or group, and policies are only evaluated against a user or group resource.
  resource: ({ params }) => {
    const sourceArn = params.required('PolicySourceArn');
    const type = parseIamArn(sourceArn)?.type;
    if (type !== 'user' && type !== 'group') throw invalidInput(`PolicySourceArn ${sourceArn} is not the ARN of an IAM user or group.`);
    return sourceArn;
  },
  mutates: false,
  handler: async (ctx) => {
    const sourceArn = ctx.params.required('PolicySourceArn');
    // A user's or a group's: the resource stage has checked.
    const source = parseIamArn(sourceArn)!;
    const extra = inputPolicies(ctx.params.list('PolicyInputList') ?? []);
    if (source.type === 'user') {
      const user = ctx.store.users.find(source.name);
      if (!user || user.arn !== sourceArn) throw noSuchEntity(`The user with name ${source.name} cannot be found.`);
      const policies = [...ctx.store.identityPolicies(user.userName).map(toEvaluationPolicy), ...extra];
      const callerArn = ctx.params.optional('CallerArn') ?? user.arn;
      return simulate(ctx, { principalArn: callerArn, policies, callerArn });
    }
    const group = ctx.store.groups.find(source.name);
    if (!group || group.arn !== sourceArn) throw noSuchEntity(`The group with name ${source.name} cannot be found.`);
    const policies = [...ctx.store.groupPolicies(group.groupName).map(toEvaluationPolicy), ...extra];
    const callerArn = ctx.params.optional('CallerArn');
    return simulate(ctx, { principalArn: callerArn ?? group.arn, policies, callerArn });
  },
};

export const SimulateCustomPolicy: ActionSpec = {
  service: 'iam',
  params: { PolicyInputList: required(list(rules.policyDocument, 1)), ...common },
  resource: () => '*',
  mutates: false,
  handler: (ctx) => {
    const callerArn = ctx.params.optional('CallerArn');
    const principalArn = callerArn ?? `arn:aws:iam::${ctx.store.accountId}:root`;
    return simulate(ctx, { principalArn, policies: inputPolicies(ctx.params.list('PolicyInputList') ?? []), callerArn });
  },
};
