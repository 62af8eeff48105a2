// `keyloop up`: the virtual keys on USB/IP and UDP, in the foreground until Ctrl-C.
import type { Command } from 'commander';
import pc from 'picocolors';
import { DEFAULT_CONTROL_PORT } from '../../emulator/control/control-server.ts';
import { startTokenServers, type TokenServers } from '../../emulator/serve-token.ts';
import { formatPresencePolicy, type PresencePolicy } from '../../emulator/token/index.ts';
import { runIamCommand, type IamServer } from '../../emulator/iam/index.ts';
import { mountConsole } from '../../emulator/console/index.ts';
import { ExitCode } from './exit-codes.ts';
import { iamServerOptions, withIamOptions, type IamFlags } from './iam-command.ts';
import { count, port, portOrOff, presence } from './parse-flags.ts';
import { untilStopped } from './until-stopped.ts';
import { formatVidPid } from '../util/usb-id.ts';

interface UpFlags extends IamFlags {
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
    .option('--control-port <port|off>', 'loopback HTTP port that `keyloop touch` uses', portOrOff, DEFAULT_CONTROL_PORT)
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
      process.exitCode = await up(flags);
    });
}

async function up(flags: UpFlags): Promise<number> {
  // Listen for Ctrl-C from the start, so one that arrives during start-up still stops cleanly.
  const stopped = untilStopped();
  let servers: TokenServers;
  let iam: IamServer | undefined;
  try {
    servers = await startTokenServers({
      host: flags.host,
      usbipPort: flags.usbipPort,
      udpPort: flags.udpPort === false ? null : flags.udpPort,
      controlPort: flags.controlPort === false ? null : flags.controlPort,
      devices: flags.devices,
      stateDir: flags.state,
      profilePath: flags.profile,
      presence: flags.presence,
      logger: flags.quiet ? undefined : { info: (line) => console.log(pc.dim(line)), warn: (line) => console.warn(pc.yellow(line)) },
    });
  } catch (error) {
    console.error(`keyloop up: ${(error as Error).message}`);
    return ExitCode.COULD_NOT_RUN;
  }

  printEndpoints(servers, flags);
  try {
    if (flags.iam) {
      iam = await runIamCommand({ ...iamServerOptions(flags, flags.state), print: (line) => console.log(`  ${line}`) });
      console.log(`  console    ${mountConsole(iam).url}  (WebAuthn rp id localhost: open it as localhost, not 127.0.0.1)`);
    }
  } catch (error) {
    console.error(`keyloop up: IAM endpoint: ${(error as Error).message}`);
    await servers.close();
    return ExitCode.COULD_NOT_RUN;
  }
  console.log(pc.dim(`attach: sudo usbip attach -r ${servers.usbip.host} -b ${servers.devices[0].busId}   stop: Ctrl-C`));
  const stopKeys = listenForTouchKeys(servers);
  await stopped;
  stopKeys();
  console.log('\nstopping...');
  const closing = await Promise.allSettled([servers.close(), iam?.close()]);
  const failures = closing.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
  for (const failure of failures) console.error(`keyloop up: while stopping: ${(failure.reason as Error).message}`);
  return failures.length > 0 ? ExitCode.FAIL : ExitCode.PASS;
}

function printEndpoints(servers: TokenServers, flags: UpFlags): void {
  const { usbip, udp, control, devices } = servers;
  const token = devices[0].token;
  console.log(pc.bold('keyloop up'));
  console.log(`  USB/IP   ${usbip.host}:${usbip.port}   bus ids ${devices.map((d) => d.busId).join(', ')}`);
  if (udp) console.log(`  UDP      ${udp.host}:${udp.port}   (Solo simulator; replies to 127.0.0.1:${udp.replyPort}; key 1-1)`);
  if (control) console.log(`  control  http://${control.host}:${control.port}/keys   (keyloop touch; presence for remote targets)`);
  console.log(`  key      ${token.profile.product} ${formatVidPid(token.profile.vendorId, token.profile.productId)}, presence ${formatPresencePolicy(token.presence)}`);
  console.log(`  state    ${flags.state ?? 'in memory (lost on exit; use --state DIR to keep it)'}`);
}

/** On a terminal, `t` touches the first key and `1`-`9` that key; Ctrl-C still stops. */
function listenForTouchKeys(servers: TokenServers): () => void {
  const stdin = process.stdin;
  if (!stdin.isTTY) return () => undefined;
  stdin.setRawMode(true);
  stdin.resume();
  const onData = (data: Buffer) => {
    const key = data.toString();
    if (key === '\u0003') return void process.emit('SIGINT');
    const busId = key === 't' ? servers.devices[0].busId : /^[1-9]$/.test(key) ? `1-${key}` : undefined;
    if (!busId) return;
    try {
      servers.touch(busId);
      console.log(`touched ${busId}`);
    } catch (error) {
      console.log((error as Error).message);
    }
  };
  stdin.on('data', onData);
  return () => {
    stdin.off('data', onData);
    stdin.setRawMode(false);
    stdin.pause();
  };
}
