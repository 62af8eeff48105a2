// `npm run make-attestation -- [--out DIR] [--subject 'CN=..., O=...'] [--name BASENAME]`
// Writes BASENAME.cert.pem and BASENAME.key.pem (a fresh P-256 batch attestation key and its
// self-signed certificate) for a device profile's `attestation` field. Default: the committed
// fixtures/attestation/default.* pair.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createAttestationCertificate } from '../emulator/token/attestation-certificate.ts';

const { values } = parseArgs({
  options: {
    out: { type: 'string', default: fileURLToPath(new URL('../fixtures/attestation', import.meta.url)) },
    subject: { type: 'string' },
    name: { type: 'string', default: 'default' },
  },
});

const { certificatePem, privateKeyPem } = await createAttestationCertificate({ subject: values.subject });
await mkdir(values.out, { recursive: true });
const certPath = join(values.out, `${values.name}.cert.pem`);
const keyPath = join(values.out, `${values.name}.key.pem`);
await writeFile(certPath, certificatePem);
await writeFile(keyPath, privateKeyPem, { mode: 0o600 });
console.log(`wrote ${certPath}\nwrote ${keyPath}`);
