// `keyloop touch`: deliver a user-presence touch to a key of a running `keyloop up`.
import type { Command } from 'commander';
import { DEFAULT_CONTROL_PORT } from '../../emulator/control/control-port.ts';
import { UpControl } from '../targets/up-control.ts';
import { ExitCode } from './exit-codes.ts';
import { port } from './parse-flags.ts';

interface TouchFlags {
  device?: string;
  host: string;
  controlPort: number;
}

export function registerTouchCommand(program: Command): void {
  program
    .command('touch')
    .description('Touch a virtual key served by `keyloop up` (for --presence manual): one touch serves one operation.')
    .option('--device <busid>', 'bus id of the key to touch (default: the first key, 1-1)')
    .option('--host <address>', 'host of the running `keyloop up`', '127.0.0.1')
    .option('--control-port <port>', 'its control port', port, DEFAULT_CONTROL_PORT)
    .action(async (flags: TouchFlags) => {
      try {
        await new UpControl({ host: flags.host, port: flags.controlPort }).touch(flags.device);
        console.log(`touched ${flags.device ?? 'the first key'}`);
        process.exitCode = ExitCode.PASS;
      } catch (error) {
        console.error(`keyloop touch: ${(error as Error).message}`);
        process.exitCode = ExitCode.COULD_NOT_RUN;
      }
    });
}
