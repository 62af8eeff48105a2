// `keyloop up`: the virtual keys on USB/IP and UDP, in the foreground until Ctrl-C.
import type { Command } from 'commander';
import { DEFAULT_CONTROL_PORT } from '../../emulator/control/control-port.ts';
import type { PresencePolicy } from '../../emulator/token/presence.ts';
import { withIamOptions, type IamFlags } from './iam-command.ts';
import { count, port, portOrOff, presence } from './parse-flags.ts';

export interface UpFlags extends IamFlags {
  iam: boolean;
  usbipPort: number;
  udpPort: number | false;
  controlPort: number | false;
  devices: number;
  state?: string;
  profile?: string;
  presence?: PresencePolicy;
  quiet: boolean;
}

export function registerUpCommand(program: Command): void {
  withIamOptions(program
    .command('up')
    .description('Serve virtual U2F keys over USB/IP (attach with `usbip attach`) and the Solo UDP transport, and the mock IAM + STS endpoint, until Ctrl-C.')
    .option('--host <address>', 'interface every listener binds to', '127.0.0.1'))
    .option('--no-iam', 'serve the keys only, no IAM endpoint')
    .option('--usbip-port <port>', 'USB/IP TCP port', port, 3240)
    .option('--udp-port <port|off>', 'Solo-simulator UDP port (serves the first key; replies go to 127.0.0.1:7112)', portOrOff, 8111)
    .option('--control-port <port|off>', 'HTTP port that `keyloop touch` uses, on --host (no authentication: whoever reaches it can touch the keys)', portOrOff, DEFAULT_CONTROL_PORT)
    .option('--devices <n>', 'number of virtual keys (bus ids 1-1, 1-2, ...)', count(127), 1)
    .option('--state <dir>', 'keep each key\'s secret and counter under DIR/BUSID and IAM state in DIR/iam.sqlite (default: in memory, gone on exit)')
    .option('--profile <file>', 'device profile JSON (default: fixtures/profiles/default.json)')
    .option('--presence <policy>', 'user presence: auto | manual | deny | delay:MS (default: the profile\'s)', presence)
    .option('--quiet', 'log nothing after start-up', false)
    .addHelpText('after', `
With --presence manual, touch a key with \`keyloop touch [--device BUSID]\` from another terminal,
or press t (first key) or 1-9 (that key) in this one.
Attach from Linux: sudo modprobe vhci-hcd && sudo usbip attach -r 127.0.0.1 -b 1-1`)
    .action(async (flags: UpFlags) => {
      const { up } = await import('./up-action.ts');
      process.exitCode = await up(flags);
    });
}
