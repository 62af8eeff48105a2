// The keyloop command: one subcommand per file, wired here.
import { Command } from 'commander';
import { registerCleanupCommand } from './cleanup-command.ts';
import { registerDevicesCommand } from './devices-command.ts';
import { registerIamCommand } from './iam-command.ts';
import { registerReplayCommand } from './replay-command.ts';
import { registerReportCommand } from './report-command.ts';
import { registerRunCommand } from './run-command.ts';
import { registerTouchCommand } from './touch-command.ts';
import { registerUpCommand } from './up-command.ts';

const program = new Command()
  .name('keyloop')
  .description('Test harness and emulator for FIDO U2F security keys and the AWS IAM flow that registers them as MFA devices.')
  .version('0.1.0')
  .showHelpAfterError('(run with --help for usage)');

registerRunCommand(program);
registerReportCommand(program);
registerReplayCommand(program);
registerUpCommand(program);
registerTouchCommand(program);
registerDevicesCommand(program);
registerIamCommand(program);
registerCleanupCommand(program);

await program.parseAsync(process.argv);
