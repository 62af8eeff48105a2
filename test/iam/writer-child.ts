// Child process of persistence.test.ts: serves IAM on a state directory and writes through the
// API without pause, printing `ack NAME` once each write's response has arrived, until killed.
// It does nothing when a test runner merely imports it.
import { fileURLToPath } from 'node:url';
import { AttachUserPolicyCommand, CreateUserCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { iamClient, startTestServer } from './support.ts';

async function writeUntilKilled(stateDir: string): Promise<never> {
  const server = await startTestServer({ stateDir });
  const iam = iamClient(server);
  const document = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:GetUser', Resource: '*' }] });
  for (let i = 0; ; i++) {
    const name = `w${i}`;
    await iam.send(new CreateUserCommand({ UserName: name }));
    await iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName: 'p', PolicyDocument: document }));
    await iam.send(new AttachUserPolicyCommand({ UserName: name, PolicyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' }));
    process.stdout.write(`ack ${name}\n`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await writeUntilKilled(process.argv[2]);
