export * from './udp-report.ts';
export * from './udp-report-server.ts';
