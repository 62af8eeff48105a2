export * from './usbip-constants.ts';
export * from './usbip-logger.ts';
export * from './device-record.ts';
export * from './client-message.ts';
export * from './server-message.ts';
export * from './usbip-bus.ts';
export * from './usbip-session.ts';
export * from './usbip-server.ts';
