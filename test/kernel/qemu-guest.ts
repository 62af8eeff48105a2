// Boot the guest under QEMU software emulation (TCG; there is no /dev/kvm here) with no network
// device at all (`-nic none`; QEMU would otherwise add a user-mode network, and traffic here may only
// use loopback). The serial console is the guest's stdout: its results come back on it.
import { spawn } from 'node:child_process';

export interface GuestRun {
  /** Everything the guest printed on its serial console (CR stripped). */
  readonly console: string;
  /** QEMU's exit status, or null when it was killed. */
  readonly exitCode: number | null;
  readonly timedOut: boolean;
  readonly seconds: number;
}

export function bootGuest({
  vmlinuz,
  initramfs,
  deviceArgs,
  timeoutMs = 150_000,
  onLine = () => undefined,
}: {
  vmlinuz: string;
  initramfs: string;
  /** Extra QEMU arguments: the virtio ports and monitor from the bridge. */
  deviceArgs: readonly string[];
  /** QEMU is killed after this long. */
  timeoutMs?: number;
  /** Each console line as it arrives (for progress output). */
  onLine?: (line: string) => void;
}): Promise<GuestRun> {
  const args = [
    '-M', 'pc', '-accel', 'tcg', '-m', '512',
    // One vCPU: under TCG two are slower, not faster.
    '-smp', '1',
    '-nodefaults', '-no-user-config', '-display', 'none', '-serial', 'stdio', '-no-reboot',
    '-nic', 'none',
    '-kernel', vmlinuz, '-initrd', initramfs,
    // panic=-1: if /init dies, reboot at once, which -no-reboot turns into QEMU exiting.
    '-append', 'console=ttyS0 quiet loglevel=1 panic=-1',
    ...deviceArgs,
  ];
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const qemu = spawn('qemu-system-x86_64', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let partial = '';
    const take = (chunk: Buffer) => {
      const text = chunk.toString('utf8').replaceAll('\r', '');
      output += text;
      partial += text;
      const lines = partial.split('\n');
      partial = lines.pop() ?? '';
      lines.forEach(onLine);
    };
    qemu.stdout.on('data', take);
    qemu.stderr.on('data', take);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      qemu.kill('SIGKILL');
    }, timeoutMs);
    qemu.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    qemu.on('close', (exitCode) => {
      clearTimeout(timer);
      resolve({ console: output, exitCode, timedOut, seconds: (Date.now() - started) / 1000 });
    });
  });
}
