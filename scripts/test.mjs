#!/usr/bin/env node
// `npm test`: type-check, then run every uvu suite under test/ with tsx, and close with the
// runner's own totals as `N passed, N failed[, N skipped]`.
// Usage: npm test [-- PATTERN]   (PATTERN filters test file names, as uvu's pattern argument)
import { spawnSync, spawn } from 'node:child_process';

const pattern = process.argv[2] ?? '\\.test\\.ts$';

const tsc = spawnSync('npx', ['tsc', '--noEmit'], { stdio: 'inherit' });
if (tsc.status !== 0) {
  console.error('type-check failed');
  console.log('0 passed, 1 failed');
  process.exit(1);
}

const child = spawn(process.execPath, ['--import', 'tsx/esm', 'node_modules/uvu/bin.js', 'test', pattern], {
  stdio: ['inherit', 'pipe', 'inherit'],
  // The pinned AWS SDK runs on Node 20; its notice about later releases is noise in test output.
  env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...process.env },
});
let out = '';
child.stdout.on('data', (chunk) => {
  out += chunk;
  process.stdout.write(chunk);
});
child.on('close', (code) => {
  // uvu's summary: "Total:     N" (tests that ran), "Passed:    N", "Skipped:   N" (not run).
  const plain = out.replace(/\x1b\[[0-9;]*m/g, '');
  const num = (label) => Number(plain.match(new RegExp(`${label}:\\s+(\\d+)`))?.[1] ?? NaN);
  const total = num('Total');
  const passed = num('Passed');
  const skipped = num('Skipped') || 0;
  if (Number.isNaN(total) || Number.isNaN(passed)) {
    console.log(`0 passed, 1 failed`);
    console.error(`uvu exited with ${code} and printed no totals`);
    process.exit(1);
  }
  const failed = total - passed;
  console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  process.exit(code === 0 && failed === 0 ? 0 : 1);
});
