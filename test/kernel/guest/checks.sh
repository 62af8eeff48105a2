# The guest's checks (sourced by /init, after the modules and the relay are up), as a real Linux
# user would run them: `usbip attach` key 1-1, read what usbcore/usbhid/hidraw made of it in sysfs,
# libfido2's fido2-token / fido2-cred / fido2-assert through /dev/hidraw*, then a second key at
# once, then detach and re-attach the first. Every step reports facts with report.sh; the host
# test judges them. Relying party and user are fixed test values.
RP=keyloop.test

hidraws() { ls /sys/class/hidraw 2>/dev/null | tr '\n' ' '; }

# wait_new_hidraw "NODES": print the hidraw node that is not in NODES, once /dev has it (<= 20 s).
wait_new_hidraw() {
  for _ in $(seq 200); do
    for node in $(hidraws); do
      case " $1 " in *" $node "*) ;; *) [ -e "/dev/$node" ] && echo "$node" && return 0 ;; esac
    done
    sleep 0.1
  done
  return 1
}

# attach LABEL BUSID: `usbip attach`, then wait for its hidraw node (stored in NODE_<LABEL>).
attach() {
  before=$(hidraws)
  out=$(usbip attach -r 127.0.0.1 -b "$2" 2>&1)
  status=$?
  node=$(wait_new_hidraw "$before")
  field busid "$2"
  field exit "$status"
  field output "$out"
  field hidraw "$node"
  eval "NODE_$1=$node"
  [ "$status" -eq 0 ] && [ -n "$node" ] && emit "attach-$1" true || emit "attach-$1" false
}

# sysfs LABEL NODE: the USB device, interface, endpoints and HID device behind a hidraw node.
sysfs() {
  hid=$(readlink -f "/sys/class/hidraw/$2/device")
  intf=${hid%/*}
  usb=${intf%/*}
  for name in idVendor idProduct bcdDevice manufacturer product serial speed bDeviceClass bNumConfigurations; do
    field "$name" "$(cat "$usb/$name" 2>/dev/null)"
  done
  for name in bInterfaceClass bInterfaceSubClass bInterfaceProtocol bNumEndpoints; do
    field "$name" "$(cat "$intf/$name" 2>/dev/null)"
  done
  for ep in ep_81 ep_01; do
    field "$ep" "$(cat "$intf/$ep/type" 2>/dev/null) $(cat "$intf/$ep/wMaxPacketSize" 2>/dev/null)"
  done
  field driver "$(basename "$(readlink "$hid/driver")")"
  field uevent "$(cat "$hid/uevent")"
  field report_descriptor "$(od -An -v -tx1 "$hid/report_descriptor" | tr -d ' \n')"
  field device "${usb#/sys/devices/}"
  [ -n "$hid" ] && emit "sysfs-$1" true || emit "sysfs-$1" false
}

# make_credential LABEL NODE: fido2-cred -M then -V; leaves LABEL.cred and LABEL.pubkey.
make_credential() {
  printf '%s\n%s\n%s\n%s\n' "$(head -c 32 /dev/urandom | base64)" "$RP" alice "$(printf alice | base64)" >"$1.cred-param"
  run_check "make-credential-$1" "$1.cred" fido2-cred -M -i "$1.cred-param" "/dev/$2"
  run_check "verify-credential-$1" "$1.verified" fido2-cred -V -i "$1.cred"
  sed -n '2,$p' "$1.verified" >"$1.pubkey"
}

# get_assertion CHECK CREDENTIAL NODE: fido2-assert -G with CREDENTIAL's id, then -V with its key.
get_assertion() {
  printf '%s\n%s\n%s\n' "$(head -c 32 /dev/urandom | base64)" "$RP" "$(sed -n 1p "$2.verified")" >"$1.assert-param"
  run_check "get-assertion-$1" "$1.assert" fido2-assert -G -i "$1.assert-param" "/dev/$3" &&
    run_check "verify-assertion-$1" "$1.assert-verified" fido2-assert -V -i "$1.assert" "$2.pubkey" es256
}

# vhci_port BUSID: the vhci port `usbip port` shows for a remote bus id.
vhci_port() {
  usbip port 2>/dev/null | awk -v busid="$1" '
    /^Port [0-9]+:/ { port = $2; sub(":", "", port); port += 0 }
    /usbip:\/\// && $NF ~ ("/" busid "$") { print port; exit }'
}

# One key.
attach key1 1-1
sysfs key1 "$NODE_key1"
run_check token-list-one token-list-one fido2-token -L
run_check token-info-key1 token-info-key1 fido2-token -I "/dev/$NODE_key1"
make_credential key1 "$NODE_key1"
get_assertion key1-first key1 "$NODE_key1"

# Two keys at once: each its own USB/IP connection, relayed through its own virtio port.
attach key2 1-2
sysfs key2 "$NODE_key2"
run_check token-list-two token-list-two fido2-token -L
make_credential key2 "$NODE_key2"
get_assertion key2-first key2 "$NODE_key2"
get_assertion key1-second key1 "$NODE_key1"
# Key 1's credential is not key 2's: U2F answers "wrong data" and libfido2 finds no credential.
get_assertion key1-on-key2 key1 "$NODE_key2"

# Detach key 1 (the server must see its connection close) and attach it again.
port=$(vhci_port 1-1)
field port "$port"
field ports "$(usbip port 2>&1)"
usbip detach -p "$port" >detach.out 2>&1
status=$?
gone=no
for _ in $(seq 200); do [ -e "/sys/class/hidraw/$NODE_key1" ] || { gone=yes; break; }; sleep 0.1; done
field exit "$status"
field output "$(cat detach.out)"
field hidraw_gone "$gone"
[ "$status" -eq 0 ] && [ "$gone" = yes ] && emit detach-key1 true || emit detach-key1 false
# The close travels guest port -> QEMU -> host bridge -> server; give it a moment before importing again.
sleep 1
attach key1again 1-1
sysfs key1again "$NODE_key1again"
get_assertion key1-reattached key1 "$NODE_key1again"
get_assertion key2-last key2 "$NODE_key2"
run_check token-list-end token-list-end fido2-token -L
