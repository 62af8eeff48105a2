// Writes a comparison's three renderings (compare.json, compare.html, compare.md) into a
// directory of its own, created if needed.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Comparison } from './comparison-model.ts';
import { renderComparisonHtml } from './render-compare-html.ts';
import { renderComparisonMarkdown } from './render-compare-markdown.ts';

export const COMPARISON_FILES = { json: 'compare.json', html: 'compare.html', markdown: 'compare.md' } as const;

export interface WriteComparisonFilesOptions {
  dir: string;
  comparison: Comparison;
}

export async function writeComparisonFiles({ dir, comparison }: WriteComparisonFilesOptions): Promise<void> {
  await mkdir(dir, { recursive: true });
  await Promise.all([
    writeFile(join(dir, COMPARISON_FILES.json), `${JSON.stringify(comparison, null, 2)}\n`),
    writeFile(join(dir, COMPARISON_FILES.html), renderComparisonHtml({ comparison })),
    writeFile(join(dir, COMPARISON_FILES.markdown), renderComparisonMarkdown({ comparison })),
  ]);
}
