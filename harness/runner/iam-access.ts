// What a scenario gets to talk to IAM: SDK clients as the target's admin or as a test user's
// keys, each with a read-only tap that records its HTTP exchanges (secrets redacted), and the
// target itself for its run-scoped resources and description.
import { IAMClient } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentials, IamTarget } from '../targets/iam-target.ts';
import { ConsoleClient, type CredentialsApi } from '../browser/console-client.ts';
import type { Recorder, RecordingScope } from './recorder.ts';
import { redactBody, redactOutput } from './redact.ts';

export interface IamAccess {
  readonly target: IamTarget;
  /** IAM as the target's admin, or as `credentials` (a test user's access keys). */
  client(credentials?: AwsCredentials): IAMClient;
  /** STS likewise. */
  sts(credentials?: AwsCredentials): STSClient;
  /** A fresh console session (mock only: requires 'console-automation'); `credentials` answers its WebAuthn calls. */
  console(options?: { credentials?: CredentialsApi }): ConsoleClient;
}

export function iamAccess(target: IamTarget, recorder: Recorder | undefined, scope: RecordingScope): IamAccess {
  const tapped = <C extends IAMClient | STSClient>(client: C): C => {
    if (recorder) tapHttp(client, recorder, scope);
    return client;
  };
  return {
    target,
    client: (credentials) => tapped(new IAMClient(target.clientConfig(credentials))),
    sts: (credentials) => tapped(new STSClient(target.clientConfig(credentials))),
    console: ({ credentials } = {}) => {
      if (!target.consoleUrl) throw new Error(`IAM target ${target.description.target} has no console the harness can drive`);
      return new ConsoleClient({
        baseUrl: target.consoleUrl,
        credentials,
        onExchange: recorder && ((exchange) => {
          const path = new URL(exchange.url).pathname;
          recorder.add(scope, { kind: 'http', dir: 'out', summary: `${exchange.method} ${path}`, channel: 'console', http: { method: exchange.method, url: exchange.url } });
          recorder.add(scope, { kind: 'http', dir: 'in', summary: `${exchange.status} ${path} (${exchange.ms.toFixed(0)} ms)`, channel: 'console', http: { status: exchange.status } });
        }),
      });
    },
  };
}

interface HttpLikeRequest {
  method: string;
  protocol?: string;
  hostname: string;
  port?: number;
  path: string;
  body?: unknown;
}

/** Records each request (after signing) and its outcome, at the deserialize step. */
function tapHttp(client: IAMClient | STSClient, recorder: Recorder, scope: RecordingScope): void {
  (client.middlewareStack as IAMClient['middlewareStack']).add(
    (next) => async (args) => {
      const request = args.request as HttpLikeRequest;
      const url = `${request.protocol ?? 'https:'}//${request.hostname}${request.port ? `:${request.port}` : ''}${request.path}`;
      const body = typeof request.body === 'string' ? redactBody(request.body) : undefined;
      const action = body ? new URLSearchParams(body).get('Action') ?? '' : '';
      recorder.add(scope, { kind: 'http', dir: 'out', summary: `${request.method} ${request.path} ${action}`.trim(), channel: 'aws-sdk', http: { method: request.method, url, body } });
      try {
        const result = await next(args);
        const status = (result.response as { statusCode?: number }).statusCode;
        recorder.add(scope, { kind: 'http', dir: 'in', summary: `${status} ${action}`, channel: 'aws-sdk', http: { status, body: JSON.stringify(redactOutput(result.output)) } });
        return result;
      } catch (error) {
        const failure = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
        const status = failure.$metadata?.httpStatusCode;
        recorder.add(scope, { kind: 'http', dir: 'in', summary: `${status ?? 'no response'} ${failure.name}`, channel: 'aws-sdk', http: { status, body: `${failure.name}: ${failure.message}` } });
        throw error;
      }
    },
    { step: 'deserialize', name: 'keyloopRecorder' },
  );
}
