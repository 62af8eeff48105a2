// The console's backend as an IAM client: every action a page performs runs through the mock
// IAM's own validate / authorize / invoke stages as the signed-in user, with the request context
// of the session (aws:MultiFactorAuthPresent true only after an MFA sign-in). Failures come back as
// data, with AWS's code and message, for the page to show.
import type { ActionResult } from '../iam/actions/action.ts';
import type { Caller } from '../iam/caller.ts';
import { IamError } from '../iam/errors.ts';
import { authorizeCall } from '../iam/pipeline.ts';
import type { IamServer } from '../iam/server.ts';

export interface IamFailure {
  ok: false;
  /** The AWS error code, e.g. `AccessDenied`. */
  code: string;
  message: string;
}

export type IamOutcome = { ok: true; result: ActionResult } | IamFailure;

export interface ConsoleIam {
  /** One IAM action with Query API parameters. */
  call(action: string, params?: Readonly<Record<string, string>>): Promise<IamOutcome>;
  /** Authorization alone, for what the console does without an action handler. */
  authorize(iamAction: string, resourceArn: string): Promise<IamFailure | undefined>;
}

export interface ConsoleIamOptions {
  server: Pick<IamServer, 'invoke' | 'authorize'>;
  caller: Caller;
  sourceIp: string;
  /** Whether the console is served over https (aws:SecureTransport). */
  secureTransport: boolean;
  clock: () => number;
}

/** IAM is a global service; the console's IAM calls are in us-east-1. */
const REGION = 'us-east-1';

async function asOutcome<T>(run: () => Promise<T>): Promise<{ ok: true; value: T } | IamFailure> {
  try {
    return { ok: true, value: await run() };
  } catch (error) {
    // Anything but an IAM error is a bug: let the page's handler report it as one.
    if (!(error instanceof IamError)) throw error;
    return { ok: false, code: error.code, message: error.message };
  }
}

export function consoleIam({ server, caller, sourceIp, secureTransport, clock }: ConsoleIamOptions): ConsoleIam {
  const request = { caller, sourceIp, secureTransport, region: REGION };
  return {
    async call(action, params = {}) {
      const outcome = await asOutcome(() => server.invoke({ ...request, action, params }));
      return outcome.ok ? { ok: true, result: outcome.value } : outcome;
    },
    async authorize(iamAction, resourceArn) {
      const outcome = await asOutcome(() => authorizeCall(server.authorize, { ...request, now: clock(), iamAction, resourceArn }));
      return outcome.ok ? undefined : outcome;
    },
  };
}
