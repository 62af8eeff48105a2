// The `mock` IAM target: the embedded mock IAM + STS on an ephemeral loopback port, state in
// memory, the root user's keys as the admin. The same SDK code as the `aws` target runs against
// it, only with the endpoint and keys given explicitly. Its console is served on the same origin
// under /console, so scenarios drive the console themselves instead of guiding a person.
import { startIamServer, type IamServer } from '../../emulator/iam/index.ts';
import { mountConsole } from '../../emulator/console/index.ts';
import { assembleIamTarget } from '../iam/assemble-iam-target.ts';
import { connectIam } from '../iam/connection.ts';
import { checkRunId } from '../iam/ownership.ts';
import type { IamTarget } from './iam-target.ts';

export interface MockIamTargetOptions {
  runId: string;
}

/** The mock target also hands out its server, for what only a mock allows (its store, its clock). */
export interface MockIamTarget extends IamTarget {
  readonly server: IamServer;
}

export async function openMockIamTarget({ runId }: MockIamTargetOptions): Promise<MockIamTarget> {
  checkRunId(runId);
  const server = await startIamServer({ host: '127.0.0.1', port: 0 });
  try {
    const connection = await connectIam({
      target: 'mock',
      kind: 'mock',
      admin: { region: 'us-east-1', endpoint: server.url, credentials: server.rootCredentials },
    });
    const { url: consoleUrl } = mountConsole(server);
    const target = assembleIamTarget({ connection, runId, capabilities: ['console-automation'], consoleUrl, shutdown: () => server.close() });
    return { ...target, server };
  } catch (error) {
    await server.close();
    throw error;
  }
}
