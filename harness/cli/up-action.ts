// `keyloop up`'s work, loaded only when the command runs.
import pc from 'picocolors';
import { startTokenServers, type TokenServers } from '../../emulator/serve-token.ts';
import { formatPresencePolicy } from '../../emulator/token/index.ts';
import { runIamCommand, type IamServer } from '../../emulator/iam/index.ts';
import { mountConsole } from '../../emulator/console/index.ts';
import { ExitCode } from './exit-codes.ts';
import { iamServerOptions } from './iam-command.ts';
import type { UpFlags } from './up-command.ts';
import { untilStopped } from './until-stopped.ts';
import { formatVidPid } from '../util/usb-id.ts';

export async function up(flags: UpFlags): Promise<number> {
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
