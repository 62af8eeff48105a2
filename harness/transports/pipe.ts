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

/** A CtaphidDevice with any number of host handles, each seeing every report (hidraw semantics). */
export interface PipeDevice {
  readonly device: CtaphidDevice;
  openHandle(name?: string): ReportTransport;
  /** Close every handle and the device. */
  close(): void;
}

export interface PipeTransport extends ReportTransport {
  readonly device: CtaphidDevice;
  /** Another host handle on the same device (hidraw semantics); closed with this transport. */
  openHandle(name?: string): ReportTransport;
}

export function createPipeDevice(applet: CtaphidApplet, options: PipeTransportOptions = {}): PipeDevice {
  const { name = 'emulator', ...deviceOptions } = options;
  const queues = new Set<ReportQueue>();
  const handles = new Set<ReportTransport>();
  let unnamed = 0;
  const device = new CtaphidDevice({
    ...deviceOptions,
    applet,
    send: (report) => setImmediate(() => queues.forEach((queue) => queue.push(report))),
  });

  const openHandle = (handleName = `${name}#${++unnamed}`): ReportTransport => {
    const queue = new ReportQueue(handleName);
    queues.add(queue);
    const handle: ReportTransport = {
      name: handleName,
      async write(report) {
        if (!queues.has(queue)) throw new TransportClosedError(handleName);
        device.receive(padReport(report));
      },
      read: (timeoutMs) => queue.read(timeoutMs),
      async close() {
        queues.delete(queue);
        handles.delete(handle);
        queue.close();
      },
    };
    handles.add(handle);
    return handle;
  };

  return {
    device,
    openHandle,
    close() {
      device.close();
      handles.forEach((handle) => void handle.close());
    },
  };
}

/** One device with one primary handle; closing the primary closes the device and every other handle. */
export function createPipeTransport(applet: CtaphidApplet, options: PipeTransportOptions = {}): PipeTransport {
  const pipe = createPipeDevice(applet, options);
  const primary = pipe.openHandle(options.name ?? 'emulator');
  return {
    ...primary,
    device: pipe.device,
    openHandle: pipe.openHandle,
    async close() {
      pipe.close();
    },
  };
}
