// Who produced a run and where: the tool's version and commit and the host's platform, so a
// report says enough to reproduce its run or to explain why two runs differ.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { arch, hostname, release } from 'node:os';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { HostFacts, ToolFacts } from './model.ts';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export function collectHostFacts(): HostFacts {
  return { hostname: hostname(), platform: `${process.platform} ${release()}`, arch: arch(), node: process.version };
}

/** keyloop's package.json version and, in a git checkout, the short commit (absent otherwise). */
export async function collectToolFacts(): Promise<ToolFacts> {
  const manifest = JSON.parse(await readFile(`${REPO_ROOT}package.json`, 'utf8')) as { version: string };
  const commit = await promisify(execFile)('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT, timeout: 5_000 })
    .then(({ stdout }) => stdout.trim() || undefined, () => undefined);
  return { name: 'keyloop', version: manifest.version, ...(commit ? { commit } : {}) };
}
