// Several host handles on one underlying transport, each seeing every report from the device
// (hidraw semantics). Needed where the link itself is exclusive: the UDP reply port is fixed and
// a USB/IP device can be imported once, yet scenarios open several CTAPHID channels.
import { ReportQueue } from './report-queue.ts';
import { TransportClosedError, TransportTimeoutError, type ReportTransport } from './report-transport.ts';

export interface SharedTransport {
  openHandle(name?: string): ReportTransport;
  /** Close every handle and the underlying transport. */
  close(): Promise<void>;
}

// The pump waits this long per read; a timeout just means the device was quiet.
const PUMP_READ_MS = 60_000;

export function shareTransport(base: ReportTransport): SharedTransport {
  const queues = new Set<ReportQueue>();
  let unnamed = 0;
  let closed = false;

  void (async () => {
    for (;;) {
      try {
        const report = await base.read(PUMP_READ_MS);
        queues.forEach((queue) => queue.push(report));
      } catch (error) {
        if (error instanceof TransportTimeoutError) continue;
        // The link is gone (closed by us, or the peer died): every handle hears why.
        const reason = closed ? new TransportClosedError(base.name) : (error as Error);
        queues.forEach((queue) => queue.close(reason));
        queues.clear();
        closed = true;
        return;
      }
    }
  })();

  return {
    openHandle(name = `${base.name}#${++unnamed}`) {
      const queue = new ReportQueue(name);
      if (closed) queue.close();
      else queues.add(queue);
      return {
        name,
        async write(report) {
          if (!queues.has(queue)) throw new TransportClosedError(name);
          await base.write(report);
        },
        read: (timeoutMs) => queue.read(timeoutMs),
        async close() {
          queues.delete(queue);
          queue.close();
        },
      };
    },
    async close() {
      closed = true;
      await base.close();
    },
  };
}
