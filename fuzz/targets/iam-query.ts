// IAM and STS Query API requests, signed as a real client signs them, from the action table's
// calls with their members and bytes mutated. Every answer is a 200 for the action asked or AWS
// error XML with a documented code and its 4xx status, as the request's expectation allows; a
// rejected request and every read leave the store as it was; the endpoint keeps serving.
import { defineFuzzTarget } from '../fuzz-target.ts';
import { findAction } from '../../emulator/iam/actions/table.ts';
import { answerLabel, readAnswer, type IamAnswer } from '../generators/iam-answers.ts';
import { createUserWithKey, startFuzzIamEndpoint, type FuzzIamEndpoint } from '../generators/iam-endpoint.ts';
import { IAM_FUZZ_POOLS } from '../generators/iam-query-calls.ts';
import { encodedBody, expectationOf, mutatedPairs, queryRequestInput, type Expectation, type QueryRequestInput } from '../generators/iam-query-requests.ts';
import { snapshotStore } from '../generators/iam-store-snapshot.ts';
import type { Credentials } from '../../emulator/iam/index.ts';

/** How often the endpoint must still answer a plain ListUsers. */
const SERVING_CHECK_EVERY = 100;

interface Context {
  endpoint: FuzzIamEndpoint;
  reader: Credentials;
  inputs: number;
}

function checkExpectation(answer: IamAnswer, expectation: Expectation): void {
  const got = answer.ok ? '200' : answer.code;
  if (expectation.only && !expectation.only.includes(got)) throw new Error(`answered ${got}, expected ${expectation.only.join(' or ')}: ${expectation.because}`);
  if (expectation.never?.includes(got)) throw new Error(`answered ${got}, which ${expectation.because} must not get`);
}

async function checkServing({ endpoint }: Context): Promise<void> {
  const answer = await endpoint.send(await endpoint.signedRequest({ body: 'Action=ListUsers&Version=2010-05-08' }));
  if (!readAnswer(answer, 'ListUsers').ok) throw new Error(`the endpoint stopped serving: ${answer.status} ${answer.body}`);
}

export default defineFuzzTarget({
  name: 'iam-query',
  surface: 'SigV4-signed IAM/STS Query API requests (POST bodies, GET query strings) to the mock IAM endpoint',
  input: queryRequestInput,
  async setup(): Promise<Context> {
    const endpoint = await startFuzzIamEndpoint();
    const reader = createUserWithKey(endpoint.server, 'fuzz-reader', ['arn:aws:iam::aws:policy/IAMReadOnlyAccess']);
    return { endpoint, reader, inputs: 0 };
  },
  async execute(context, input: QueryRequestInput) {
    const { endpoint } = context;
    const pairs = mutatedPairs(input);
    const credentials = input.caller === 'root' ? endpoint.server.rootCredentials : context.reader;
    const { service } = input.call;
    const request =
      input.transport === 'get'
        ? await endpoint.signedRequest({ method: 'GET', query: pairs, body: '', credentials, service })
        : await endpoint.signedRequest({ body: encodedBody(pairs, input.bytes), credentials, service });
    const before = snapshotStore(endpoint.server.store, IAM_FUZZ_POOLS.groups);
    const answer = await endpoint.send(request);
    const failures = endpoint.takeLoggedErrors();
    if (failures.length > 0) throw new Error(`the endpoint logged an internal failure: ${failures[0]}`);
    // The action the endpoint routes to is the first Action sent, under the signature's service.
    const sent = input.transport === 'get' ? pairs : [...new URLSearchParams(request.body.toString('utf8'))];
    const actionName = sent.find(([name]) => name === 'Action')?.[1];
    const routed = actionName === undefined ? undefined : findAction(service, actionName);
    const result = readAnswer(answer, routed?.name);
    checkExpectation(result, expectationOf(input));
    if (!result.ok || !routed?.mutates) {
      const after = snapshotStore(endpoint.server.store, IAM_FUZZ_POOLS.groups);
      if (after !== before) throw new Error(`${result.ok ? `read ${routed?.name}` : `rejected request (${answerLabel(result)})`} changed the store`);
    }
    context.inputs += 1;
    if (context.inputs % SERVING_CHECK_EVERY === 0) await checkServing(context);
    return `${input.transport === 'get' ? 'GET ' : ''}${answerLabel(result)}`;
  },
  async teardown(context) {
    try {
      await checkServing(context);
    } finally {
      await context.endpoint.close();
    }
  },
});
