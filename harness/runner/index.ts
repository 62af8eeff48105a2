export * from './expect.ts';
export * from './result.ts';
export * from './runner.ts';
export * from './scenario.ts';
export * from './select.ts';
export * from './recorder.ts';
export * from './load-scenario-files.ts';
