// Scenarios from files: `keyloop run --select path/to/file.ts` runs every scenario a module
// exports (alone or in arrays), the shipped ones or a team's own, with the same runner.
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import type { Scenario } from './scenario.ts';

/** A --select pattern that names a file rather than ids, suites or tags. */
export function isScenarioPath(pattern: string): boolean {
  return /\.(ts|js|mjs)$/.test(pattern);
}

function isScenario(value: unknown): value is Scenario {
  return typeof value === 'object' && value !== null && typeof (value as Scenario).id === 'string' && typeof (value as Scenario).run === 'function';
}

/** Every scenario the module at `path` exports, once each, in export order. */
export async function loadScenarioFile(path: string): Promise<Scenario[]> {
  const module = (await import(pathToFileURL(resolve(path)).href)) as Record<string, unknown>;
  const found = new Map<string, Scenario>();
  for (const value of Object.values(module)) {
    for (const candidate of Array.isArray(value) ? value : [value]) if (isScenario(candidate)) found.set(candidate.id, candidate);
  }
  if (found.size === 0) throw new Error(`${path} exports no scenario (an object with an id and a run function)`);
  return [...found.values()];
}
