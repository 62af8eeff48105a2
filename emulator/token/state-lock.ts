// One token per state directory: two tokens sharing a counter file could hand out the same
// counter value twice. A lock file names the owning process; a lock whose process is gone
// (kill -9) is stale and taken over.
import { open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { TokenError } from './token-error.ts';

export const LOCK_FILE = 'lock';

/** Take the directory's lock; resolves to a function that releases it. */
export async function lockStateDir(stateDir: string): Promise<() => Promise<void>> {
  const path = join(stateDir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const file = await open(path, 'wx', 0o600);
      await file.writeFile(`${process.pid}\n`);
      await file.close();
      return () => unlink(path).catch(() => {});
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
    if (Number.isInteger(owner) && owner > 0 && isAlive(owner)) {
      const who = owner === process.pid ? 'another token in this process' : `process ${owner}`;
      throw new TokenError('STATE_LOCKED', `${stateDir} is in use by ${who}; close it first`);
    }
    await unlink(path).catch(() => {});
  }
  throw new TokenError('STATE_LOCKED', `${stateDir}: could not take the lock`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
