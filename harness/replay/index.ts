export * from './model.ts';
export * from './replay-error.ts';
export * from './load-transcript.ts';
export * from './replay-transcript.ts';
export * from './write-replay.ts';
export * from './render-text.ts';
