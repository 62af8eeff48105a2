// One token per state directory: two tokens sharing a counter file could hand out the same
// counter value twice. A lock file names the owning process by its pid and, on Linux, its start
// time; a lock whose process is gone (kill -9) is stale and taken over, and so is one whose pid now
// belongs to a process started later (a container's pid 1 after a restart).
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
      await file.writeFile(`${process.pid} ${await startTime(process.pid)}\n`);
      await file.close();
      return () => unlink(path).catch(() => {});
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const [ownerText = '', ownerStart = ''] = (await readFile(path, 'utf8').catch(() => '')).trim().split(' ');
    const owner = Number.parseInt(ownerText, 10);
    if (Number.isInteger(owner) && owner > 0 && isAlive(owner) && ownerStart === (await startTime(owner))) {
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

/**
 * When the process started, in clock ticks since boot (proc(5), /proc/PID/stat field 22); empty
 * where there is no /proc, and then a live pid is taken as the owner.
 */
async function startTime(pid: number): Promise<string> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  // Field 2, the command name, may hold spaces and parentheses: count fields after its last ')'.
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? '';
}
