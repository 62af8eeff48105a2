export * from './apdu.ts';
export * from './client.ts';
export * from './errors.ts';
export * from './responses.ts';
export * from './verify.ts';
