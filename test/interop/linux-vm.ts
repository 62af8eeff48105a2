// A stock Debian kernel under QEMU (TCG) as the USB/IP host, per INTEROP.md "A real Linux kernel
// attaching our USB/IP token": vhci-hcd, usbhid and hidraw enumerate our key, and libfido2's tools
// drive /dev/hidraw0. The guest reaches our server through a virtio-serial port relayed to its
// loopback 3240; QEMU connects that port straight to the server on the host.
// The kernel comes from the Debian archive (`apt-get download`, unpacked with dpkg-deb, no install);
// kernel and initramfs are cached under `cacheDir` between runs.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, copyFile, mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';

/** Module load order: virtio console for the relay, then the USB/IP host and HID stacks. */
const MODULES = [
  'virtio_ring', 'virtio', 'virtio_pci_legacy_dev', 'virtio_pci_modern_dev', 'virtio_pci', 'virtio_console',
  'usb-common', 'usbcore', 'usbip-core', 'vhci-hcd', 'hid', 'usbhid', 'hid-generic',
];
const GUEST_TOOLS = ['/usr/sbin/usbip', '/usr/bin/fido2-token', '/usr/bin/fido2-cred', '/usr/bin/fido2-assert'];
const HOST_TOOLS = ['/usr/bin/qemu-system-x86_64', '/usr/bin/busybox', '/usr/bin/dpkg-deb', '/usr/bin/apt-get', '/usr/bin/apt-cache', ...GUEST_TOOLS];

export interface LinuxVm {
  readonly vmlinuz: string;
  readonly initramfs: string;
}

function run(file: string, args: string[], options: { cwd?: string; timeout?: number } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { maxBuffer: 64 << 20, ...options }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${basename(file)} ${args.join(' ')}: ${stderr || error.message}`));
      else resolve(stdout);
    });
  });
}

/** Why the VM cannot run here, or null if every tool is installed. */
export function missingVmTools(): string | null {
  const missing = HOST_TOOLS.filter((tool) => !existsSync(tool));
  return missing.length ? `missing ${missing.join(', ')}` : null;
}

/** The guest's /init: mount, load modules, relay, `usbip attach`, then `checks` (sh), then power off. */
function initScript(checks: string): string {
  return `#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mkdir -p /var/run /tmp
for m in ${MODULES.join(' ')}; do insmod /lib/modules/$m.ko || echo "KEYLOOP insmod $m failed"; done
ip link set lo up
for p in /sys/class/virtio-ports/*; do [ "$(cat $p/name)" = usbip ] && PORT=/dev/$(basename $p); done
printf '#!/bin/sh\\nexec 3<>%s\\ncat <&3 &\\nexec cat >&3\\n' "$PORT" > /relay.sh
chmod +x /relay.sh
nc -l -p 3240 -e /relay.sh &
sleep 0.3
usbip attach -r 127.0.0.1 -b 1-1 && echo "KEYLOOP attach ok" || echo "KEYLOOP attach failed"
for i in $(seq 1 50); do [ -e /dev/hidraw0 ] && break; sleep 0.1; done
[ -e /dev/hidraw0 ] && echo "KEYLOOP hidraw ok" || echo "KEYLOOP hidraw missing"
cd /tmp
${checks}
echo "KEYLOOP done"
poweroff -f
`;
}

/** Fetch and unpack the kernel (once), then build an initramfs for `checks` (cached by content). */
export async function prepareLinuxVm({
  checks,
  cacheDir = join(tmpdir(), 'keyloop-linux-vm'),
}: {
  /** Shell commands run in the guest after /dev/hidraw0 appears; print `KEYLOOP ...` lines. */
  checks: string;
  /** Holds the kernel package, the unpacked kernel and initramfs images. */
  cacheDir?: string;
}): Promise<LinuxVm> {
  await mkdir(cacheDir, { recursive: true });
  const kernelRoot = join(cacheDir, 'kernel');
  if (!existsSync(join(kernelRoot, 'boot'))) {
    const depends = await run('/usr/bin/apt-cache', ['depends', 'linux-image-amd64']);
    const image = /Depends: (linux-image-[\d.]+-\d+-amd64)\b/.exec(depends)?.[1];
    if (!image) throw new Error('cannot tell which linux-image package linux-image-amd64 names');
    await run('/usr/bin/apt-get', ['download', image], { cwd: cacheDir, timeout: 300_000 });
    const deb = (await readdir(cacheDir)).find((f) => f.startsWith(image) && f.endsWith('.deb'));
    if (!deb) throw new Error(`apt-get download ${image} left no .deb in ${cacheDir}`);
    await run('/usr/bin/dpkg-deb', ['-x', join(cacheDir, deb), kernelRoot]);
  }
  const boot = join(kernelRoot, 'boot');
  const vmlinuz = join(boot, (await readdir(boot)).find((f) => f.startsWith('vmlinuz-'))!);
  const release = basename(vmlinuz).slice('vmlinuz-'.length);

  const init = initScript(checks);
  const key = createHash('sha256').update(release).update(init).digest('hex').slice(0, 16);
  const initramfs = join(cacheDir, `initramfs-${key}.cpio.gz`);
  if (existsSync(initramfs)) return { vmlinuz, initramfs };

  const stage = join(cacheDir, `stage-${key}`);
  await rm(stage, { recursive: true, force: true });
  for (const dir of ['bin', 'lib/modules', 'proc', 'sys', 'dev', 'tmp', 'usr/sbin', 'usr/bin']) await mkdir(join(stage, dir), { recursive: true });
  await copyFile('/usr/bin/busybox', join(stage, 'bin/busybox'));
  await writeFile(join(stage, 'init'), init);
  await chmod(join(stage, 'init'), 0o755);
  const moduleList = await run('/usr/bin/busybox', ['find', join(kernelRoot, 'lib/modules'), '-name', '*.ko']);
  const modulePaths = moduleList.split('\n').filter(Boolean);
  for (const name of MODULES) {
    const found = modulePaths.find((p) => basename(p) === `${name}.ko`);
    if (!found) throw new Error(`kernel ${release} has no module ${name}.ko`);
    await copyFile(found, join(stage, 'lib/modules', `${name}.ko`));
  }
  // Guest tools with the shared libraries (and loader) ldd names.
  const libraries = new Set<string>();
  for (const tool of GUEST_TOOLS) {
    await copyFile(tool, join(stage, tool.slice(1)));
    for (const match of (await run('/usr/bin/ldd', [tool])).matchAll(/(\/\S+\.so[.\d]*)/g)) libraries.add(match[1]);
  }
  for (const library of libraries) {
    await mkdir(join(stage, dirname(library).slice(1)), { recursive: true });
    await copyFile(library, join(stage, library.slice(1)));
  }
  await run('/bin/sh', ['-c', `cd "${stage}" && busybox find . | busybox cpio -o -H newc 2>/dev/null | gzip -1 > "${initramfs}.part"`]);
  await rename(`${initramfs}.part`, initramfs);
  await rm(stage, { recursive: true, force: true });
  return { vmlinuz, initramfs };
}

/** Boot the guest against a USB/IP server on host loopback; resolves with its console output. */
export function runLinuxVm({
  vm,
  usbipPort,
  timeoutMs = 60_000,
}: {
  vm: LinuxVm;
  /** The host USB/IP server QEMU connects the guest's relay to. */
  usbipPort: number;
  /** QEMU is killed after this long (TCG boots in about 10 s here). */
  timeoutMs?: number;
}): Promise<string> {
  const args = [
    '-M', 'pc', '-accel', 'tcg', '-m', '512', '-smp', '1', '-nographic', '-no-reboot',
    // No NIC: QEMU would otherwise add a user-mode network; traffic here may only use loopback.
    '-nic', 'none',
    '-kernel', vm.vmlinuz, '-initrd', vm.initramfs,
    '-append', 'console=ttyS0 quiet panic=-1',
    '-chardev', `socket,id=u,host=127.0.0.1,port=${usbipPort}`,
    '-device', 'virtio-serial-pci', '-device', 'virtserialport,chardev=u,name=usbip',
  ];
  return new Promise((resolve) => {
    execFile('/usr/bin/qemu-system-x86_64', args, { timeout: timeoutMs, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      resolve(stdout + stderr + (error ? `\nKEYLOOP qemu: ${error.message}\n` : ''));
    });
  });
}
