// SigV4 on the mock IAM endpoint: a CreateUser signed by one of several principals, its signing
// inputs mutated (Authorization pieces, credential scope, SignedHeaders, signature, X-Amz-Date and
// skew, headers dropped or repeated, session tokens, body, harmless whitespace and case, presigned
// query strings). A correctly signed request succeeds; every other one gets the AWS code for what
// is wrong, with its 4xx status, and creates no user.
import { defineFuzzTarget } from '../fuzz-target.ts';
import { readAnswer } from '../generators/iam-answers.ts';
import { createUserWithKey, startFuzzIamEndpoint, type FuzzIamEndpoint } from '../generators/iam-endpoint.ts';
import { expectedAnswers, signingInput, type SigningInput } from '../generators/sigv4-mutations.ts';
import { signingRequest, type SigningPrincipals } from '../generators/sigv4-requests.ts';

const SERVING_CHECK_EVERY = 100;
const MFA_SERIAL = 'arn:aws:iam::123456789012:mfa/sig-creator';
/** The longest GetSessionToken session (36 hours): it outlasts any fuzz run. */
const LONG_SESSION_SECONDS = 129_600;

interface Context {
  endpoint: FuzzIamEndpoint;
  principals: SigningPrincipals;
  inputs: number;
}

function principals(endpoint: FuzzIamEndpoint): SigningPrincipals {
  const { server, clock } = endpoint;
  const { store } = server;
  const creator = createUserWithKey(server, 'sig-creator', ['arn:aws:iam::aws:policy/AdministratorAccess']);
  const reader = createUserWithKey(server, 'sig-reader', ['arn:aws:iam::aws:policy/IAMReadOnlyAccess']);
  const inactive = createUserWithKey(server, 'sig-inactive');
  store.accessKeys.setStatus('sig-inactive', inactive.accessKeyId, 'Inactive');
  const session = (mfaSerial?: string) => {
    const made = store.sessions.create({ userName: 'sig-creator', durationSeconds: LONG_SESSION_SECONDS, mfaSerial });
    return { accessKeyId: made.accessKeyId, secretAccessKey: made.secretAccessKey, sessionToken: made.sessionToken };
  };
  const withMfa = session(MFA_SERIAL);
  const withoutMfa = session();
  const other = session(MFA_SERIAL);
  // Made last: creating a session drops the expired ones.
  clock.shift(-2 * 3600_000);
  const expired = store.sessions.create({ userName: 'sig-creator', durationSeconds: 900, mfaSerial: MFA_SERIAL });
  clock.shift(2 * 3600_000);
  return {
    credentials: {
      root: server.rootCredentials,
      creator,
      reader,
      inactive,
      session: withMfa,
      'session-no-mfa': withoutMfa,
      'session-expired': { accessKeyId: expired.accessKeyId, secretAccessKey: expired.secretAccessKey, sessionToken: expired.sessionToken },
    },
    otherSessionToken: other.sessionToken,
  };
}

async function checkServing({ endpoint }: Context): Promise<void> {
  const answer = await endpoint.send(await endpoint.signedRequest({ body: 'Action=ListUsers&Version=2010-05-08' }));
  if (!readAnswer(answer, 'ListUsers').ok) throw new Error(`the endpoint stopped serving: ${answer.status} ${answer.body}`);
}

export default defineFuzzTarget({
  name: 'sigv4-headers',
  surface: 'SigV4 signing inputs (Authorization, scope, SignedHeaders, X-Amz-Date, tokens, presigned URLs) of a CreateUser to the mock IAM',
  input: signingInput,
  async setup(): Promise<Context> {
    const endpoint = await startFuzzIamEndpoint();
    return { endpoint, principals: principals(endpoint), inputs: 0 };
  },
  async execute(context, input: SigningInput) {
    const { endpoint } = context;
    const { store } = endpoint.server;
    context.inputs += 1;
    const userName = `sig${context.inputs}`;
    const request = await signingRequest(endpoint, context.principals, input, userName);
    const usersBefore = store.users.list().length;
    const answer = await endpoint.send(request);
    const failures = endpoint.takeLoggedErrors();
    if (failures.length > 0) throw new Error(`the endpoint logged an internal failure: ${failures[0]}`);
    const result = readAnswer(answer, 'CreateUser');
    const got = result.ok ? '200' : result.code;
    const expected = expectedAnswers(input);
    if (!expected.includes(got)) throw new Error(`answered ${got}, AWS answers ${expected.join(' or ')}`);
    const created = store.users.find(userName);
    if (result.ok !== (created !== undefined)) throw new Error(`answered ${got} but the user ${created ? 'was' : 'was not'} created`);
    if (store.users.list().length !== usersBefore + (result.ok ? 1 : 0)) throw new Error(`answered ${got} and the number of users changed by ${store.users.list().length - usersBefore}`);
    // Each input starts from the same users.
    if (created) store.users.delete(userName);
    if (context.inputs % SERVING_CHECK_EVERY === 0) await checkServing(context);
    return `${input.mutation.kind} ${got}`;
  },
  async teardown(context) {
    try {
      await checkServing(context);
    } finally {
      await context.endpoint.close();
    }
  },
});
