#!/bin/sh
# One guest TCP connection (a `usbip attach`; busybox `nc -ll -e` runs this per connection, with
# the socket on stdin/stdout) relayed to the first free virtio port named keyloop.usbip.*.
# The host bridge turns each open..close of a port into one TCP connection to keyloop's USB/IP
# server, so closing the port here is what the server sees as the detach.
mkdir -p /run/vport-claims
for dir in /sys/class/virtio-ports/*; do
  name=$(cat "$dir/name")
  case $name in keyloop.usbip.*) ;; *) continue ;; esac
  mkdir "/run/vport-claims/$name" 2>/dev/null || continue
  exec 3<>"/dev/${dir##*/}"
  cat <&3 &
  reader=$!
  cat >&3
  kill "$reader"
  wait "$reader"
  exec 3<&-
  rmdir "/run/vport-claims/$name"
  exit 0
done
echo "relay: every keyloop.usbip.* virtio port is in use" >&2
exit 1
