// `keyloop up` in a child process with every listener on (USB/IP, UDP, control, IAM + console),
// each on a free port, and the endpoints it printed, for the suites that look at it from outside.
import { startKeyloop, type KeyloopProcess } from '../support/keyloop-process.ts';

export interface Endpoint {
  host: string;
  port: number;
}

export interface UpEndpoints {
  usbip: Endpoint;
  udp: Endpoint;
  control: Endpoint;
  iam: Endpoint;
  /** The console's entry page, e.g. http://localhost:PORT/console. */
  consoleUrl: string;
}

export interface RunningUp {
  process: KeyloopProcess;
  endpoints: UpEndpoints;
}

/** Starts `keyloop up` with `args` added (e.g. `--host`, `--state`) and waits until it serves. */
export async function startKeyloopUp(args: readonly string[] = []): Promise<RunningUp> {
  const process = startKeyloop(['up', '--usbip-port', '0', '--udp-port', '0', '--control-port', '0', '--iam-port', '0', ...args]);
  try {
    await process.waitFor(/stop: Ctrl-C/);
    const out = process.stdout();
    const endpoint = (pattern: RegExp): Endpoint => {
      const match = pattern.exec(out);
      if (!match) throw new Error(`keyloop up printed no ${pattern}:\n${out}`);
      return { host: match[1], port: Number(match[2]) };
    };
    const consoleUrl = /console\s+(http:\/\/\S+)/.exec(out)?.[1];
    if (!consoleUrl) throw new Error(`keyloop up printed no console URL:\n${out}`);
    return {
      process,
      endpoints: {
        usbip: endpoint(/USB\/IP\s+([\d.:a-f]+?):(\d+)\s/),
        udp: endpoint(/UDP\s+([\d.:a-f]+?):(\d+)\s/),
        control: endpoint(/control\s+http:\/\/([\d.:a-f]+?):(\d+)\//),
        iam: endpoint(/IAM \+ STS\s+http:\/\/([\d.:a-f[\]]+?):(\d+)\s/),
        consoleUrl,
      },
    };
  } catch (error) {
    await process.stop();
    throw error;
  }
}
