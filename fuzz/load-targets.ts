// Finds the fuzz targets: every module in fuzz/targets/ default-exports one.
import { readdir } from 'node:fs/promises';
import type { FuzzTarget } from './fuzz-target.ts';

const targetsDir = new URL('./targets/', import.meta.url);

export async function loadFuzzTargets(): Promise<FuzzTarget<unknown, unknown>[]> {
  const files = (await readdir(targetsDir)).filter((file) => file.endsWith('.ts')).sort();
  const targets = await Promise.all(
    files.map(async (file) => {
      const module = (await import(new URL(file, targetsDir).href)) as { default?: FuzzTarget<unknown, unknown> };
      if (!module.default?.name) throw new Error(`fuzz/targets/${file} has no default-exported fuzz target`);
      return module.default;
    }),
  );
  return targets;
}
