// python-fido2 0.9.1 (Yubico), a client nobody on this project wrote, against the assembled key over
// the Solo UDP port (INTEROP.md): CTAPHID, CTAP1 with its own signature checks, and WebAuthn via
// Fido2Client's CTAP1 fallback verified by Fido2Server. Skipped where python3-fido2 is missing.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile, spawnSync } from 'node:child_process';
import { startTokenServers } from '../../emulator/serve-token.ts';
import { FIDO2_UDP_SCRIPT } from './fido2-udp-script.ts';
import { freeUdpPort } from '../support/free-udp-port.ts';

const PYTHON = '/usr/bin/python3';
const hasFido2 = spawnSync(PYTHON, ['-c', 'import fido2'], { stdio: 'ignore' }).status === 0;
const withFido2 = hasFido2 ? test : test.skip;


function runPython(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(PYTHON, ['-', ...args], { timeout: 20_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
    child.stdin?.end(FIDO2_UDP_SCRIPT);
  });
}

withFido2('python-fido2 over UDP: INIT/PING/WINK, CTAP1 register/authenticate, WebAuthn fido-u2f', async () => {
  const replyPort = await freeUdpPort();
  const servers = await startTokenServers({ usbipPort: 0, udpPort: 0, udpReplyPort: replyPort, controlPort: null });
  try {
    const { code, stdout, stderr } = await runPython(String(servers.udp!.port), String(replyPort));
    assert.is(code, 0, stderr);
    const result = JSON.parse(stdout);
    assert.equal(result, {
      hidVersion: 2,
      deviceVersion: [1, 0, 0],
      capabilities: 1,
      ping: true,
      wink: true,
      version: 'U2F_V2',
      registerVerified: true,
      counters: [1, 2],
      foreignKeyHandle: '0x6A80',
      attestationFormat: 'fido-u2f',
      webauthnVerified: true,
    });
  } finally {
    await servers.close();
  }
});

test.run();
