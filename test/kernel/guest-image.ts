// The kernel tier's guest image: runs setup.sh (packages, kernel download, initramfs, all cached
// under ~/.cache/keyloop/kernel) and reports either the boot files or why they cannot be had.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SETUP_SCRIPT = fileURLToPath(new URL('./setup.sh', import.meta.url));
/** setup.sh's exit status for "QEMU, a tool or the kernel cannot be had here". */
const UNAVAILABLE = 3;

export type GuestImage =
  | { readonly ready: true; readonly release: string; readonly vmlinuz: string; readonly initramfs: string; readonly cache: 'hit' | 'built'; readonly seconds: number }
  | { readonly ready: false; readonly reason: string };

export function prepareGuestImage({
  timeoutMs = 540_000,
}: {
  /** The first run downloads the kernel package (about 70 MB). */
  timeoutMs?: number;
} = {}): Promise<GuestImage> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    execFile('bash', [SETUP_SCRIPT], { timeout: timeoutMs, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      const code = error ? (error as { code?: unknown }).code : 0;
      if (code === UNAVAILABLE) {
        const reason = stderr.split('\n').find((line) => line.includes('UNAVAILABLE:')) ?? stderr.trim();
        return resolve({ ready: false, reason: reason.replace(/^.*UNAVAILABLE:\s*/, '') });
      }
      if (error) return reject(new Error(`test/kernel/setup.sh failed (${code ?? error.message}):\n${stderr}`));
      const value = (key: string) => {
        const found = stdout.match(new RegExp(`^${key}=(.+)$`, 'm'))?.[1];
        if (!found) throw new Error(`setup.sh printed no ${key}=:\n${stdout}${stderr}`);
        return found;
      };
      try {
        resolve({
          ready: true,
          release: value('release'),
          vmlinuz: value('vmlinuz'),
          initramfs: value('initramfs'),
          cache: value('cache') === 'hit' ? 'hit' : 'built',
          seconds: (Date.now() - started) / 1000,
        });
      } catch (parseError) {
        reject(parseError);
      }
    });
  });
}
