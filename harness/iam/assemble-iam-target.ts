// An IamTarget from a connection: an admin IAM client, the run's resources, and a close() that
// removes the run's resources before the target's own shutdown (the mock stops its server). close()
// runs once: a second call (the runner's finally after a Ctrl-C handler) waits for the first.
import { IAMClient } from '@aws-sdk/client-iam';
import type { IamCapability, IamTarget } from '../targets/iam-target.ts';
import type { CleanupReport } from './cleanup-report.ts';
import type { IamConnection } from './connection.ts';
import { IamResources } from './resources.ts';

export interface AssembleIamTargetOptions {
  connection: IamConnection;
  runId: string;
  capabilities?: readonly IamCapability[];
  consoleUrl?: string;
  /** After cleanup, whatever else the target must stop. */
  shutdown?: () => Promise<void>;
}

export function assembleIamTarget({ connection, runId, capabilities = [], consoleUrl, shutdown }: AssembleIamTargetOptions): IamTarget {
  const admin = new IAMClient(connection.clientConfig());
  const resources = new IamResources({ runId, iam: admin });
  let closing: Promise<CleanupReport> | undefined;
  const close = async (): Promise<CleanupReport> => {
    try {
      return await resources.cleanup();
    } finally {
      admin.destroy();
      await shutdown?.();
    }
  };
  return {
    description: connection.description,
    capabilities: new Set(capabilities),
    consoleUrl,
    resources,
    clientConfig: (credentials) => connection.clientConfig(credentials),
    close: () => (closing ??= close()),
  };
}
