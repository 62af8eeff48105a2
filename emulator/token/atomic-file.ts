// Crash-safe replacement of a small state file: write a temp file, fsync it, rename it over the
// target, fsync the directory. After a crash the file holds the old or the new content, whole.
import { randomBytes } from 'node:crypto';
import { open, readdir, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

const TEMP_SUFFIX = '.tmp';

export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const dir = dirname(path);
  // Unique per write, so two writers never share a temp file.
  const temp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`);
  const file = await open(temp, 'w', 0o600);
  try {
    await file.writeFile(data);
    await file.sync();
  } catch (error) {
    await file.close();
    await unlink(temp).catch(() => {});
    throw error;
  }
  await file.close();
  await rename(temp, path);
  // The rename itself lives in the directory; without this a power cut could undo it.
  const directory = await open(dir, 'r');
  try {
    await directory.sync();
  } finally {
    await directory.close();
  }
}

/** Delete temp files a crash left in `dir`. Only safe while no one else writes there. */
export async function removeStaleTempFiles(dir: string): Promise<void> {
  const names = await readdir(dir);
  await Promise.all(
    names.filter((name) => name.startsWith('.') && name.endsWith(TEMP_SUFFIX)).map((name) => unlink(join(dir, name)).catch(() => {})),
  );
}
