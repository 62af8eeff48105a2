// libfido2 1.12 (Yubico), a client nobody on this project wrote, against the assembled key over the
// Solo UDP port (INTEROP.md): fido_dev_set_io_functions reaches the socket, libfido2 falls back to
// U2F, and its own fido_cred_verify / fido_assert_verify accept what the token signed.
// Skipped where gcc or libfido2-dev is missing.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTokenServers } from '../../emulator/serve-token.ts';
import { FIDO_UDP_C } from './libfido2-udp-source.ts';
import { freeUdpPort } from '../support/free-udp-port.ts';

const available = existsSync('/usr/bin/gcc') && existsSync('/usr/include/fido.h');
const withLibfido2 = available ? test : test.skip;

function run(file: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: 20_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}


withLibfido2('libfido2 over UDP: make credential (fido-u2f) and get assertion, verified by libfido2', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'keyloop-libfido2-'));
  const replyPort = await freeUdpPort();
  const servers = await startTokenServers({ usbipPort: 0, udpPort: 0, udpReplyPort: replyPort, controlPort: null });
  try {
    await writeFile(join(dir, 'fido_udp.c'), FIDO_UDP_C);
    const built = await run('/usr/bin/gcc', ['-Wall', '-Werror', '-o', join(dir, 'fido_udp'), join(dir, 'fido_udp.c'), '-lfido2']);
    assert.is(built.code, 0, built.stderr);
    const { code, stdout, stderr } = await run(join(dir, 'fido_udp'), [String(servers.udp!.port), String(replyPort)]);
    assert.is(code, 0, stdout + stderr);
    const { credentialIdLength, ...result } = JSON.parse(stdout);
    // A U2F-only key (no CBOR), fido-u2f attestation, first signature counter 1, UP flag set.
    assert.equal(result, { fido2: false, fmt: 'fido-u2f', sigcount: 1, flags: 1 });
    assert.ok(credentialIdLength > 0 && credentialIdLength <= 255);
  } finally {
    await servers.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
