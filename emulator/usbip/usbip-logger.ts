// The log sink the USB/IP and UDP adapters write one line per event to (console fits).

export interface LineLogger {
  info(message: string): void;
  warn(message: string): void;
}

export const silentLogger: LineLogger = { info: () => {}, warn: () => {} };
