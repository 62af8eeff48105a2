#!/usr/bin/env node
// The keyloop CLI entry point: load tsx's ESM hooks, then the TypeScript CLI.
import { register } from 'tsx/esm/api';

// keyloop pins AWS SDK releases that run on Node 20 (see package.json); the SDK's notice that later
// releases will need Node 22 is for people who upgrade it, not for every keyloop command.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
register();
await import('../harness/cli/main.ts');
