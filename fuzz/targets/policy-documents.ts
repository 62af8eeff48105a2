// Policy documents through CreatePolicy, CreatePolicyVersion and PutUserPolicy, then in use: the
// document is the only policy of an IAM user who makes a read call, and SimulatePrincipalPolicy
// evaluates it too. A document is accepted (and read back as sent, URL-encoded as AWS returns it)
// or rejected with MalformedPolicyDocument, LimitExceeded or ValidationError as the grammar and
// the quotas say, and a rejected one stores nothing; the call is a 200 or AccessDenied, matching a
// decision worked out by hand for simple documents and the simulator's; nothing is a 500.
import fc from 'fast-check';
import { defineFuzzTarget } from '../fuzz-target.ts';
import { readAnswer } from '../generators/iam-answers.ts';
import { MAX_BODY_BYTES } from '../generators/iam-query-requests.ts';
import { createUserWithKey, startFuzzIamEndpoint, type FuzzIamEndpoint, type HttpAnswer } from '../generators/iam-endpoint.ts';
import { documentText, policyDocumentInput, serializationEffect, type PolicyDocumentInput } from '../generators/policy-documents.ts';
import { documentValidity, quotaSize, simpleDecision, worst, type Validity } from '../generators/policy-grammar.ts';
import { snapshotStore } from '../generators/iam-store-snapshot.ts';
import type { Credentials } from '../../emulator/iam/index.ts';

const ACCOUNT = '123456789012';
const SUBJECT = 'pd-subject';
const SUBJECT_ARN = `arn:aws:iam::${ACCOUNT}:user/${SUBJECT}`;
const NEW_POLICY_ARN = `arn:aws:iam::${ACCOUNT}:policy/pd-new`;
const BASE_POLICY_ARN = `arn:aws:iam::${ACCOUNT}:policy/pd-base`;
const INLINE_NAME = 'pd-inline';

type Via = 'CreatePolicy' | 'CreatePolicyVersion' | 'PutUserPolicy';

/** The subject's read calls: the IAM action, the resource it is authorized on, the Query members. */
const PROBES = [
  { action: 'GetUser', resource: SUBJECT_ARN, members: {} },
  { action: 'GetUser', resource: `arn:aws:iam::${ACCOUNT}:user/pd-other`, members: { UserName: 'pd-other' } },
  { action: 'ListUsers', resource: `arn:aws:iam::${ACCOUNT}:user/`, members: {} },
  { action: 'ListMFADevices', resource: SUBJECT_ARN, members: {} },
  { action: 'ListPolicies', resource: `arn:aws:iam::${ACCOUNT}:policy/`, members: {} },
  { action: 'ListGroupsForUser', resource: SUBJECT_ARN, members: { UserName: SUBJECT } },
] as const;

interface Input {
  document: PolicyDocumentInput;
  via: Via;
  probe: number;
}

interface Context {
  endpoint: FuzzIamEndpoint;
  subject: Credentials;
}

const form = (fields: Record<string, string>): string => new URLSearchParams({ Version: '2010-05-08', ...fields }).toString();
const element = (answer: HttpAnswer, name: string): string | undefined => new RegExp(`<${name}>([^<]*)</${name}>`).exec(answer.body)?.[1];

async function call(context: Context, fields: Record<string, string>, credentials?: Credentials): Promise<HttpAnswer> {
  const { endpoint } = context;
  const answer = await endpoint.send(await endpoint.signedRequest({ body: form(fields), credentials }));
  const failures = endpoint.takeLoggedErrors();
  if (failures.length > 0) throw new Error(`the endpoint logged an internal failure: ${failures[0]}`);
  return answer;
}

/** The answers AWS gives the write, from the grammar, the member's rule and the quotas. */
function expectedAnswers(input: Input, text: string, bodyBytes: number): readonly string[] {
  if (bodyBytes > MAX_BODY_BYTES) return ['RequestEntityTooLarge'];
  const length = [...text].length;
  if (length < 1 || length > 131072 || /[^\t\n\r\x20-\xFF]/.test(text)) return ['ValidationError'];
  const effect = serializationEffect(input.document.serialization);
  const validity: Validity = effect === 'unparsable' ? 'invalid' : worst(documentValidity(input.document.document), effect === 'unknown' ? 'unknown' : 'valid');
  const over = quotaSize(text) > (input.via === 'PutUserPolicy' ? 2048 : 6144);
  if (validity === 'invalid') return over ? ['MalformedPolicyDocument', 'LimitExceeded'] : ['MalformedPolicyDocument'];
  if (validity === 'valid') return [over ? 'LimitExceeded' : '200'];
  return ['200', 'MalformedPolicyDocument', 'LimitExceeded'];
}

/** The write's members, and the read that returns what it stored. */
function writeOf(via: Via, text: string): { fields: Record<string, string>; readBack: (answer: HttpAnswer) => Record<string, string> } {
  switch (via) {
    case 'CreatePolicy':
      return { fields: { Action: via, PolicyName: 'pd-new', PolicyDocument: text }, readBack: () => ({ Action: 'GetPolicyVersion', PolicyArn: NEW_POLICY_ARN, VersionId: 'v1' }) };
    case 'CreatePolicyVersion':
      return {
        fields: { Action: via, PolicyArn: BASE_POLICY_ARN, PolicyDocument: text, SetAsDefault: 'true' },
        readBack: (answer) => ({ Action: 'GetPolicyVersion', PolicyArn: BASE_POLICY_ARN, VersionId: element(answer, 'VersionId') ?? '' }),
      };
    case 'PutUserPolicy':
      return { fields: { Action: via, UserName: SUBJECT, PolicyName: INLINE_NAME, PolicyDocument: text }, readBack: () => ({ Action: 'GetUserPolicy', UserName: SUBJECT, PolicyName: INLINE_NAME }) };
  }
}

/** Back to the subject with no policy, pd-base with one version, and no pd-new. */
function reset({ endpoint }: Context, via: Via): void {
  const { store } = endpoint.server;
  store.transaction(() => {
    if (via === 'PutUserPolicy') {
      store.inlinePolicies.delete('user', SUBJECT, INLINE_NAME);
      return;
    }
    const arn = via === 'CreatePolicy' ? NEW_POLICY_ARN : BASE_POLICY_ARN;
    // Attached only once the document was read back as written.
    if (store.policies.attached('user', SUBJECT).some((policy) => policy.arn === arn)) store.policies.detach('user', SUBJECT, arn);
    if (via === 'CreatePolicy') store.policies.delete(arn);
    else for (const version of store.policies.listVersions(arn)) if (!version.isDefaultVersion) store.policies.deleteVersion(arn, version.versionId);
  });
}

export default defineFuzzTarget({
  name: 'policy-documents',
  surface: 'policy JSON through CreatePolicy/CreatePolicyVersion/PutUserPolicy, then evaluated for a signed call and by SimulatePrincipalPolicy',
  input: fc.record({ document: policyDocumentInput, via: fc.constantFrom<Via>('CreatePolicy', 'CreatePolicyVersion', 'PutUserPolicy'), probe: fc.nat(PROBES.length - 1) }),
  async setup(): Promise<Context> {
    const endpoint = await startFuzzIamEndpoint();
    const { store } = endpoint.server;
    const subject = createUserWithKey(endpoint.server, SUBJECT);
    store.transaction(() => {
      store.users.create({ userName: 'pd-other' });
      store.policies.create({ policyName: 'pd-base', document: '{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"*","Resource":"*"}}' });
    });
    return { endpoint, subject };
  },
  async execute(context, input: Input) {
    const { store } = context.endpoint.server;
    const text = documentText(input.document);
    const before = snapshotStore(store, []);
    const { fields, readBack } = writeOf(input.via, text);
    const answer = await call(context, fields);
    const result = readAnswer(answer, input.via);
    const got = result.ok ? '200' : result.code;
    const expected = expectedAnswers(input, text, Buffer.byteLength(form(fields)));
    if (!expected.includes(got)) throw new Error(`${input.via} answered ${got}, expected ${expected.join(' or ')}`);
    if (!result.ok) {
      if (snapshotStore(store, []) !== before) throw new Error(`${input.via} was refused (${got}) but the store changed`);
      return `${input.via} ${got}`;
    }
    try {
      const read = readBack(answer);
      const stored = await call(context, read);
      const encoded = element(stored, read.Action === 'GetUserPolicy' ? 'PolicyDocument' : 'Document');
      if (!readAnswer(stored, read.Action).ok || encoded === undefined || decodeURIComponent(encoded) !== text) {
        throw new Error(`${read.Action} does not return the document as written: ${stored.body.slice(0, 300)}`);
      }
      if (input.via !== 'PutUserPolicy') store.policies.attach('user', SUBJECT, input.via === 'CreatePolicy' ? NEW_POLICY_ARN : BASE_POLICY_ARN);
      const probe = PROBES[input.probe];
      const used = readAnswer(await call(context, { Action: probe.action, ...probe.members }, context.subject), probe.action);
      if (!used.ok && used.code !== 'AccessDenied') throw new Error(`${probe.action} under the document answered ${used.code}, not 200 or AccessDenied`);
      const decided = used.ok ? 'allowed' : 'denied';
      const simple = serializationEffect(input.document.serialization) === 'same' ? simpleDecision(input.document.document, `iam:${probe.action}`) : undefined;
      if (simple !== undefined && (simple === 'allowed') !== used.ok) throw new Error(`iam:${probe.action} was ${decided}; by the evaluation logic it is ${simple}`);
      const simulated = await call(context, { Action: 'SimulatePrincipalPolicy', PolicySourceArn: SUBJECT_ARN, 'ActionNames.member.1': `iam:${probe.action}`, 'ResourceArns.member.1': probe.resource });
      if (!readAnswer(simulated, 'SimulatePrincipalPolicy').ok) throw new Error(`SimulatePrincipalPolicy failed: ${simulated.body.slice(0, 300)}`);
      // The simulator has no request context: compare where the document reads none.
      const evalDecision = element(simulated, 'EvalDecision');
      if (!text.includes('Condition') && !text.includes('${') && (evalDecision === 'allowed') !== used.ok) {
        throw new Error(`iam:${probe.action} was ${decided} but SimulatePrincipalPolicy says ${evalDecision}`);
      }
      return `${input.via} 200, call ${used.ok ? '200' : 'AccessDenied'}`;
    } finally {
      reset(context, input.via);
    }
  },
  async teardown(context) {
    await context.endpoint.close();
  },
});
