#!/usr/bin/env node
// The keyloop CLI entry point: load tsx's ESM hooks, then the TypeScript CLI.
import { register } from 'tsx/esm/api';

register();
await import('../harness/cli/main.ts');
