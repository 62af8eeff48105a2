// Debian's usbip 2.0 (the Linux userspace tool, INTEROP.md) lists our exported keys.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { startEchoServer } from './support.ts';

const USBIP = '/usr/sbin/usbip';

function usbip(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(USBIP, args, { timeout: 5000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

// Skipped (and counted as skipped) where the usbip package is not installed.
const withUsbip = existsSync(USBIP) ? test : test.skip;

withUsbip('usbip list -r shows both keys with ids and the HID interface 03/00/00', async () => {
  const { server } = await startEchoServer(2);
  try {
    const { code, stdout, stderr } = await usbip('--tcp-port', String(server.port), 'list', '-r', '127.0.0.1');
    assert.is(code, 0, stderr);
    assert.match(stdout, /1-1: .*\(1209:5071\)/);
    assert.match(stdout, /1-2: .*\(1209:5072\)/);
    assert.match(stdout, /: \/sys\/devices\/platform\/keyloop\/usb1\/1-1/);
    assert.is(stdout.match(/0 - Human Interface Device .*\(03\/00\/00\)/g)?.length, 2);
  } finally {
    await server.close();
  }
});

test.run();
