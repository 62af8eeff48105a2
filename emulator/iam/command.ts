// What `keyloop iam` and `keyloop up --iam-port` call: start the endpoint and print how to reach
// it, with the root credentials as environment settings any AWS client understands.
import { startIamServer, type IamServer, type IamServerOptions } from './server.ts';

export interface IamCommandOptions extends Omit<IamServerOptions, 'logger'> {
  /** Where the banner and internal failures go. */
  print?: (line: string) => void;
}

export async function runIamCommand({ print = (line) => console.log(line), ...options }: IamCommandOptions = {}): Promise<IamServer> {
  const server = await startIamServer({
    ...options,
    logger: { info: () => {}, error: (message, error) => print(`iam: ${message}: ${error instanceof Error ? error.stack : String(error)}`) },
  });
  print(`IAM + STS  ${server.url}  (account ${server.accountId}, state ${options.stateDir ?? 'in memory'})`);
  print(`  export AWS_ACCESS_KEY_ID=${server.rootCredentials.accessKeyId}`);
  print(`  export AWS_SECRET_ACCESS_KEY=${server.rootCredentials.secretAccessKey}`);
  print(`  export AWS_DEFAULT_REGION=us-east-1`);
  print(`  aws --endpoint-url ${server.url} iam list-users`);
  return server;
}
