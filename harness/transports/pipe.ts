// In-process transport: a CtaphidDevice (CTAP 2.1 section 11.2) wired straight to the host.
// Reports to the device are handled synchronously in write(); reports from it are delivered on a
// later turn of the event loop, as from a real device, so a reader never runs inside write().
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

export type PipeTransport = ReportTransport & { readonly device: CtaphidDevice };

export function createPipeTransport(applet: CtaphidApplet, options: PipeTransportOptions = {}): PipeTransport {
  const { name = 'emulator', ...deviceOptions } = options;
  const queue = new ReportQueue(name);
  let closed = false;
  const device = new CtaphidDevice({
    ...deviceOptions,
    applet,
    send: (report) => setImmediate(() => queue.push(report)),
  });
  return {
    name,
    device,
    async write(report) {
      if (closed) throw new TransportClosedError(name);
      device.receive(padReport(report));
    },
    read: (timeoutMs) => queue.read(timeoutMs),
    async close() {
      closed = true;
      device.close();
      queue.close();
    },
  };
}
