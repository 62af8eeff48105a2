#!/usr/bin/env bash
# Set-up for the kernel tier (npm run test:kernel): a stock Debian kernel and an initramfs that
# attaches keyloop's USB/IP token with vhci-hcd and drives it with libfido2's tools
# (see ../../shared/INTEROP.md, "A real Linux kernel attaching our USB/IP token").
#
# Everything comes from Debian packages: qemu-system-x86, busybox-static, usbip and fido2-tools are
# installed if missing; the kernel package is only downloaded (`apt-get download`) and unpacked with
# dpkg-deb, never installed. Results are cached outside the clone so a second run starts at once:
#   ~/.cache/keyloop/kernel/<release>/           the kernel .deb and its unpacked tree
#   ~/.cache/keyloop/kernel/<release>-<hash>/    vmlinuz + initramfs.cpio.gz, <hash> covering the
#                                                guest files, this script and the tool versions
# Override the root with KEYLOOP_CACHE, the kernel package with KEYLOOP_KERNEL_PACKAGE.
#
# Output (stdout, for the test): `release=...`, `vmlinuz=...`, `initramfs=...`, `cache=hit|built`.
# Progress goes to stderr. Exit 0 ready, 3 when QEMU, a tool or the kernel cannot be had, 1 otherwise.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
guest_dir=$here/guest
cache_root=${KEYLOOP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/keyloop}/kernel

say() { echo "kernel setup: $*" >&2; }
unavailable() {
  say "UNAVAILABLE: $*"
  exit 3
}

# The kernel modules the guest loads, in load order (virtio console for the relay, then USB/IP + HID).
modules=(virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci virtio_console
  usb-common usbcore usbip-core vhci-hcd hid usbhid hid-generic)
# Guest programs; their shared libraries come along as ldd lists them.
guest_tools=(/usr/sbin/usbip /usr/bin/fido2-token /usr/bin/fido2-cred /usr/bin/fido2-assert)
packages=(qemu-system-x86 busybox-static usbip fido2-tools)

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

install_missing() {
  local missing=() package
  for package in "${packages[@]}"; do installed "$package" || missing+=("$package"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null ||
    unavailable "missing Debian packages ${missing[*]} (install them as root: apt-get install -y ${missing[*]})"
  say "installing ${missing[*]}"
  local apt=(apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${missing[@]}")
  DEBIAN_FRONTEND=noninteractive "${apt[@]}" >&2 ||
    { apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive "${apt[@]}" >&2; } ||
    unavailable "apt-get could not install ${missing[*]}"
}

# The linux-image package to use: the override, what linux-image-amd64 names, or the newest cached.
kernel_package() {
  if [ -n "${KEYLOOP_KERNEL_PACKAGE:-}" ]; then echo "$KEYLOOP_KERNEL_PACKAGE"; return; fi
  local named
  named=$(apt-cache depends linux-image-amd64 2>/dev/null | sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*-amd64\)$/\1/p' | head -n 1)
  if [ -n "$named" ]; then echo "$named"; return; fi
  named=$(ls -1 "$cache_root" 2>/dev/null | grep -E '^[0-9][^-]*-[0-9]+-amd64$' | sort -V | tail -n 1 || true)
  [ -n "$named" ] && [ -f "$cache_root/$named/tree/boot/vmlinuz-$named" ] ||
    unavailable "apt-cache does not name a kernel for linux-image-amd64 (run apt-get update) and none is cached in $cache_root"
  say "apt-cache names no kernel; using the cached $named"
  echo "linux-image-$named"
}

# Download and unpack the kernel package once: $cache_root/<release>/{*.deb,tree/}.
fetch_kernel() {
  local package=$1 dir=$2 release=$3 work deb
  [ -f "$dir/tree/boot/vmlinuz-$release" ] && return 0
  mkdir -p "$dir"
  work=$(mktemp -d "$dir/.fetch.XXXXXX")
  deb=$(ls "$dir/${package}"_*.deb 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$deb" ]; then
    say "downloading $package (apt-get download)"
    (cd "$work" && apt-get -o APT::Sandbox::User=root download -qq "$package" >&2) ||
      { rm -rf "$work"; rmdir "$dir" 2>/dev/null || true; unavailable "apt-get download $package failed"; }
    deb=$dir/$(basename "$work"/*.deb)
    mv "$work"/*.deb "$deb"
  fi
  say "unpacking $(basename "$deb")"
  dpkg-deb -x "$deb" "$work/tree"
  [ -f "$work/tree/boot/vmlinuz-$release" ] || { rm -rf "$work"; unavailable "$package has no boot/vmlinuz-$release"; }
  rm -rf "$dir/tree"
  mv "$work/tree" "$dir/tree"
  rm -rf "$work"
}

# Assemble the initramfs tree in $1: busybox, modules, guest tools with their libraries, guest scripts.
stage_initramfs() {
  local stage=$1 tree=$2 release=$3 name found tool library
  mkdir -p "$stage"/{bin,dev,proc,sys,run,tmp,lib/modules,keyloop}
  cp /bin/busybox "$stage/bin/busybox"
  for name in "${modules[@]}"; do
    found=$(find "$tree/lib/modules/$release" -name "$name.ko" | head -n 1)
    [ -n "$found" ] || unavailable "kernel $release has no module $name.ko (is it linux-image-cloud? that one has no USB)"
    cp "$found" "$stage/lib/modules/$name.ko"
  done
  printf '%s\n' "${modules[@]}" >"$stage/keyloop/modules"
  for tool in "${guest_tools[@]}"; do
    mkdir -p "$stage$(dirname "$tool")"
    cp "$tool" "$stage$tool"
    for library in $(ldd "$tool" | grep -o '/[^ ]*\.so[.0-9]*'); do
      mkdir -p "$stage$(dirname "$library")"
      cp -L "$library" "$stage$library"
    done
  done
  cp "$guest_dir"/*.sh "$stage/keyloop/"
  mv "$stage/keyloop/init.sh" "$stage/init"
  chmod 755 "$stage/init" "$stage"/keyloop/*.sh
}

main() {
  install_missing
  [ -x /usr/bin/qemu-system-x86_64 ] || unavailable "qemu-system-x86_64 is not installed"
  local package release kernel_dir hash out
  package=$(kernel_package)
  release=${package#linux-image-}
  kernel_dir=$cache_root/$release
  fetch_kernel "$package" "$kernel_dir" "$release"

  hash=$({
    cat "${BASH_SOURCE[0]}" "$guest_dir"/*.sh
    dpkg-query -W "${packages[@]}" libfido2-1
    ls "$kernel_dir"/*.deb
  } | sha256sum | cut -c1-16)
  out=$cache_root/$release-$hash
  if [ -f "$out/initramfs.cpio.gz" ] && [ -f "$out/vmlinuz" ]; then
    echo "cache=hit"
  else
    say "building the initramfs in $out"
    local work
    work=$(mktemp -d "$cache_root/.build.XXXXXX")
    stage_initramfs "$work/stage" "$kernel_dir/tree" "$release"
    (cd "$work/stage" && find . | busybox cpio -o -H newc 2>/dev/null | gzip -1 >"$work/initramfs.cpio.gz")
    cp "$kernel_dir/tree/boot/vmlinuz-$release" "$work/vmlinuz"
    rm -rf "$work/stage" "$out"
    chmod 755 "$work"
    mv "$work" "$out"
    # Images for earlier guest files: drop those unused for a day (a running test may hold a newer one).
    find "$cache_root" -maxdepth 1 -name "$release-*" ! -path "$out" -mtime +0 -exec rm -rf {} + 2>/dev/null || true
    echo "cache=built"
  fi
  echo "release=$release"
  echo "vmlinuz=$out/vmlinuz"
  echo "initramfs=$out/initramfs.cpio.gz"
}

main "$@"
