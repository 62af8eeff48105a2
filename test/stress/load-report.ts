// A load test's summary: one line on stdout and reports/stress/<name>.json (reports/ is output).
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describeGrowth } from './load-memory.ts';
import type { LoadResult } from './load-run.ts';

const REPORT_DIR = fileURLToPath(new URL('../../reports/stress/', import.meta.url));

/** Print the summary line and write the JSON report; `extra` adds figures of that test's own. */
export function reportLoad(name: string, result: LoadResult, extra: Record<string, unknown> = {}): void {
  const { seconds, operations, errors, failures, memory, rss, cpu } = result;
  const perSec = operations / seconds;
  console.log(`${name}: ${seconds.toFixed(1)} s, ${operations} operations (${perSec.toFixed(0)}/s), ${errors} errors, RSS after a full GC ${describeGrowth(memory)}`);
  mkdirSync(REPORT_DIR, { recursive: true });
  const report = { name, seconds, operations, perSec, errors, failures, rssWarmupKb: memory.warmupKb, rssMaxAfterKb: memory.maxAfterKb, growthPercent: memory.growth * 100, cpuCores: cpu, ...extra, rss };
  writeFileSync(`${REPORT_DIR}${name}.json`, JSON.stringify(report, null, 2) + '\n');
}
