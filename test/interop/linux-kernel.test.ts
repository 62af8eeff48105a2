// The real Linux host stack against our USB/IP server (INTEROP.md): a Debian kernel under QEMU
// attaches bus id 1-1 with `usbip attach` (vhci-hcd), enumerates it (usbcore, usbhid, hidraw), and
// libfido2's fido2-token / fido2-cred / fido2-assert register and sign through /dev/hidraw0, checking
// every signature themselves. About 10 s per run plus a one-time kernel download (apt-get download),
// so it runs only with KEYLOOP_VM=1:  KEYLOOP_VM=1 node --import tsx/esm node_modules/uvu/bin.js test linux-kernel
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startTokenServers } from '../../emulator/serve-token.ts';
import { missingVmTools, prepareLinuxVm, runLinuxVm } from './linux-vm.ts';

const missing = missingVmTools();
const enabled = process.env.KEYLOOP_VM === '1' && missing === null;
if (process.env.KEYLOOP_VM === '1' && missing) console.log(`  linux-kernel: skipped, ${missing}`);
const vmTest = enabled ? test : test.skip;

const CHECKS = String.raw`
sed 's/^/KEYLOOP uevent /' /sys/class/hidraw/hidraw0/device/uevent
fido2-token -I /dev/hidraw0 | sed 's/^/KEYLOOP info /'
printf '%s\n%s\n%s\n%s\n' "$(head -c 32 /dev/urandom | base64)" keyloop.test alice "$(printf user-1 | base64)" > cred_param
fido2-cred -M -i cred_param /dev/hidraw0 > cred_out && echo "KEYLOOP make-credential ok" || echo "KEYLOOP make-credential failed"
sed -n 3p cred_out | sed 's/^/KEYLOOP fmt /'
fido2-cred -V -i cred_out -o cred_verified && echo "KEYLOOP verify-credential ok" || echo "KEYLOOP verify-credential failed"
sed -n '2,$p' cred_verified > pubkey.pem
for n in 1 2; do
  printf '%s\n%s\n%s\n' "$(head -c 32 /dev/urandom | base64)" keyloop.test "$(sed -n 1p cred_verified)" > assert_param
  fido2-assert -G -i assert_param /dev/hidraw0 > assert_out && echo "KEYLOOP get-assertion ok" || echo "KEYLOOP get-assertion failed"
  fido2-assert -V -i assert_out pubkey.pem es256 && echo "KEYLOOP verify-assertion ok" || echo "KEYLOOP verify-assertion failed"
done
`;

vmTest('Linux vhci-hcd + usbhid + hidraw enumerate the key; fido2-cred and fido2-assert succeed', async () => {
  const vm = await prepareLinuxVm({ checks: CHECKS });
  const log: string[] = [];
  const warnings: string[] = [];
  const servers = await startTokenServers({
    usbipPort: 0,
    udpPort: null,
    controlPort: null,
    logger: { info: (line) => log.push(line), warn: (line) => warnings.push(line) },
  });
  let output: string;
  try {
    output = await runLinuxVm({ vm, usbipPort: servers.usbip.port });
  } finally {
    await servers.close();
  }
  // Marker lines, wherever the serial console's escape sequences put them.
  const lines = [...output.matchAll(/KEYLOOP (.*?)\r?$/gm)].map((m) => m[1].trim());
  const expect = (line: string) => assert.ok(lines.includes(line), `expected "KEYLOOP ${line}" in the guest console:\n${output}`);
  expect('attach ok');
  expect('hidraw ok');
  expect('uevent DRIVER=hid-generic');
  expect('uevent HID_ID=0003:00001209:00007F1D');
  expect('uevent HID_UNIQ=KL0000000001');
  expect('info proto: 0x02');
  expect('info caps: 0x01 (wink, nocbor, msg)');
  expect('make-credential ok');
  expect('fmt fido-u2f');
  expect('verify-credential ok');
  assert.is(lines.filter((l) => l === 'get-assertion ok').length, 2, output);
  assert.is(lines.filter((l) => l === 'verify-assertion ok').length, 2, output);
  expect('done');
  assert.equal(warnings, [], 'the server logged no protocol problem');
  assert.ok(log.some((l) => l.includes('imported 1-1')) && log.some((l) => l.includes('detached 1-1')));
});

test.run();
