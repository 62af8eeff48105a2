export * from './bench.ts';
export * from './client.ts';
export * from './errors.ts';
