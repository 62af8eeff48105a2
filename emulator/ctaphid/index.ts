export * from './applet.ts';
export * from './channel-table.ts';
export * from './constants.ts';
export * from './device.ts';
export * from './framing.ts';
export * from './init-response.ts';
export * from './report-event.ts';
