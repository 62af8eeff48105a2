// In-process transport: a CtaphidDevice (CTAP 2.1 section 11.2) wired straight to the host.
// Reports to the device are handled synchronously in write(); reports from it are delivered on a
// later turn of the event loop, as from a real device, so a reader never runs inside write().
// Like hidraw, every open handle receives every report the device sends: two hosts on two handles
// each see their own answers (and skip the other's), as with two processes on one key.
import type { CtaphidApplet } from '../../emulator/ctaphid/applet.ts';
import { CtaphidDevice } from '../../emulator/ctaphid/device.ts';
import type { CtaphidDeviceOptions } from '../../emulator/ctaphid/device.ts';
import { ReportQueue } from './report-queue.ts';
import { TransportClosedError, padReport } from './report-transport.ts';
import type { ReportTransport } from './report-transport.ts';

export type PipeTransportOptions = Omit<Partial<CtaphidDeviceOptions>, 'applet' | 'send'> & {
  /** Transport name in logs and errors. */
  name?: string;
};

export interface PipeTransport extends ReportTransport {
  readonly device: CtaphidDevice;
  /** Another host handle on the same device (hidraw semantics); closed with this transport. */
  openHandle(name?: string): ReportTransport;
}

export function createPipeTransport(applet: CtaphidApplet, options: PipeTransportOptions = {}): PipeTransport {
  const { name = 'emulator', ...deviceOptions } = options;
  const queues = new Set<ReportQueue>();
  const device = new CtaphidDevice({
    ...deviceOptions,
    applet,
    send: (report) => setImmediate(() => queues.forEach((queue) => queue.push(report))),
  });

  const handle = (handleName: string, onClose: () => void): ReportTransport => {
    const queue = new ReportQueue(handleName);
    queues.add(queue);
    return {
      name: handleName,
      async write(report) {
        if (!queues.has(queue)) throw new TransportClosedError(handleName);
        device.receive(padReport(report));
      },
      read: (timeoutMs) => queue.read(timeoutMs),
      async close() {
        queues.delete(queue);
        queue.close();
        onClose();
      },
    };
  };

  const handles = new Set<ReportTransport>();
  const primary = handle(name, () => {
    device.close();
    handles.forEach((h) => void h.close());
  });
  return {
    ...primary,
    device,
    openHandle(handleName = `${name}#${handles.size + 1}`) {
      const extra = handle(handleName, () => handles.delete(extra));
      handles.add(extra);
      return extra;
    },
  };
}
