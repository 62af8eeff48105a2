#!/bin/busybox sh
# The guest's /init: mount, load the virtio console, USB/IP host and HID modules, serve guest
# 127.0.0.1:3240 through relay.sh, run checks.sh, power off. Results go to the serial console.
/bin/busybox --install -s /bin
export PATH=/bin:/usr/bin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
# Without devtmpfs there is no /dev/vport* and no /dev/hidraw*.
mount -t devtmpfs devtmpfs /dev
mkdir -p /run /tmp /var/run
. /keyloop/report.sh

failed=''
for module in $(cat /keyloop/modules); do
  insmod "/lib/modules/$module.ko" || failed="$failed $module"
done
field loaded "$(cat /keyloop/modules | tr '\n' ' ')"
field failed "$failed"
[ -z "$failed" ] && emit modules true || emit modules false

ip link set lo up
nc -ll -p 3240 -e /keyloop/relay.sh &
sleep 0.2

cd /tmp
. /keyloop/checks.sh
echo "KEYLOOP-DONE"
poweroff -f
