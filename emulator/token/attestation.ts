// FIDO U2F Raw Message Formats v1.2, "Registration Response Message: Success": the batch
// attestation certificate (X.509 DER) goes into every registration response and its P-256 key
// signs the registration. Loaded from PEM files; node:crypto does the parsing.
import { X509Certificate, createPrivateKey, type JsonWebKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { TokenError } from './token-error.ts';

export interface AttestationFiles {
  /** PEM certificate path. */
  certificate: string;
  /** PEM private key path (PKCS#8 or SEC1). */
  privateKey: string;
}

export interface Attestation {
  /** DER certificate. */
  certificate: Uint8Array;
  /** Raw 32-byte P-256 scalar. */
  privateKey: Uint8Array;
}

export async function loadAttestation(files: AttestationFiles): Promise<Attestation> {
  const [certPem, keyPem] = await Promise.all([read(files.certificate), read(files.privateKey)]);
  let cert: X509Certificate;
  let key: JsonWebKey;
  try {
    cert = new X509Certificate(certPem);
  } catch (error) {
    throw new TokenError('INVALID_ATTESTATION', `${files.certificate}: not a PEM X.509 certificate`, { cause: error });
  }
  try {
    key = createPrivateKey(keyPem).export({ format: 'jwk' });
  } catch (error) {
    throw new TokenError('INVALID_ATTESTATION', `${files.privateKey}: not a PEM private key`, { cause: error });
  }
  if (key.kty !== 'EC' || key.crv !== 'P-256' || !key.d) {
    throw new TokenError('INVALID_ATTESTATION', `${files.privateKey}: U2F attestation needs a P-256 EC key, got ${key.kty} ${key.crv ?? ''}`.trim());
  }
  const certKey = cert.publicKey.export({ format: 'jwk' });
  if (certKey.x !== key.x || certKey.y !== key.y) {
    throw new TokenError('INVALID_ATTESTATION', `${files.privateKey} does not match the public key of ${files.certificate}`);
  }
  return { certificate: new Uint8Array(cert.raw), privateKey: new Uint8Array(Buffer.from(key.d, 'base64url')) };
}

async function read(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new TokenError('INVALID_ATTESTATION', `cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
}
