// `keyloop iam`: the mock IAM + STS endpoint alone, in the foreground until Ctrl-C.
import { InvalidArgumentError, type Command } from 'commander';
import { ExitCode } from './exit-codes.ts';
import { port } from './parse-flags.ts';
import { untilStopped } from './until-stopped.ts';

export interface IamFlags {
  host: string;
  iamPort: number;
  state?: string;
  account?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
}

/** The flags `iam` and `up` share. */
export function withIamOptions(command: Command): Command {
  return command
    .option('--iam-port <port>', 'IAM + STS Query API port', port, 4566)
    .option('--account <id>', 'AWS account id of the mock (12 digits)', (value) => {
      if (!/^\d{12}$/.test(value)) throw new InvalidArgumentError('expected a 12-digit account id');
      return value;
    })
    .option('--access-key-id <id>', 'root access key id (default: the AWS documentation example key)')
    .option('--secret-access-key <secret>', 'root secret access key (default: the AWS documentation example)');
}

/** Server options from the shared flags; throws when only half a key pair is given. */
export function iamServerOptions(flags: IamFlags, stateDir: string | undefined) {
  if ((flags.accessKeyId === undefined) !== (flags.secretAccessKey === undefined)) {
    throw new Error('--access-key-id and --secret-access-key go together');
  }
  const rootCredentials = flags.accessKeyId && flags.secretAccessKey ? { accessKeyId: flags.accessKeyId, secretAccessKey: flags.secretAccessKey } : undefined;
  return { host: flags.host, port: flags.iamPort, stateDir, accountId: flags.account, rootCredentials };
}

export function registerIamCommand(program: Command): void {
  withIamOptions(
    program
      .command('iam')
      .description('Serve the mock IAM + STS endpoint (SigV4, IAM policies, SQLite state) until Ctrl-C.')
      .option('--host <address>', 'interface to bind', '127.0.0.1')
      .option('--state <dir>', 'keep IAM state in DIR/iam.sqlite (default: in memory, gone on exit)'),
  )
    .addHelpText('after', `
Use it with any AWS client, e.g.
  aws --endpoint-url http://127.0.0.1:4566 --region us-east-1 iam list-users`)
    .action(async (flags: IamFlags & { state?: string }) => {
      const stopped = untilStopped();
      try {
        const { runIamCommand } = await import('../../emulator/iam/index.ts');
        const server = await runIamCommand(iamServerOptions(flags, flags.state));
        await stopped;
        await server.close();
        process.exitCode = ExitCode.PASS;
      } catch (error) {
        console.error(`keyloop iam: ${(error as Error).message}`);
        process.exitCode = ExitCode.COULD_NOT_RUN;
      }
    });
}
