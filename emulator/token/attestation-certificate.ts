// A batch attestation key and self-signed certificate for FIDO U2F Raw Message Formats v1.2,
// "Registration Response Message: Success" (RFC 5280 X.509 v3, ECDSA P-256 with SHA-256), built
// with pkijs + asn1js on node's WebCrypto. Used by `npm run make-attestation` and by tests that
// need a vendor-like attestation of their own.
import { webcrypto } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

/** FIDO U2F Authenticator Transports Extension v1.2: id-fido-u2f-ce-transports. */
const FIDO_TRANSPORTS_OID = '1.3.6.1.4.1.45724.2.1.1';
/** Its BIT STRING with only bit 2 (usb) set: 0b001 then 5 unused bits. */
const TRANSPORT_USB = { valueHex: Uint8Array.of(0x20).buffer, unusedBits: 5 };
const BASIC_CONSTRAINTS_OID = '2.5.29.19';

const NAME_OIDS: Record<string, string> = {
  CN: '2.5.4.3',
  C: '2.5.4.6',
  L: '2.5.4.7',
  ST: '2.5.4.8',
  O: '2.5.4.10',
  OU: '2.5.4.11',
  SERIALNUMBER: '2.5.4.5',
};

export interface AttestationCertificateOptions {
  /** Distinguished name, for example `CN=keyloop U2F attestation, O=keyloop, C=ZZ`. */
  subject?: string;
  /** Validity from `notBefore`; 20 years keeps notAfter a UTCTime (before 2050). */
  validityDays?: number;
  notBefore?: Date;
}

export interface AttestationPem {
  certificatePem: string;
  /** PKCS#8 PEM. */
  privateKeyPem: string;
}

export async function createAttestationCertificate({
  subject = 'CN=keyloop U2F attestation, O=keyloop, OU=Authenticator Attestation, C=ZZ',
  validityDays = 20 * 365,
  notBefore = new Date(),
}: AttestationCertificateOptions = {}): Promise<AttestationPem> {
  const engine = new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto as unknown as Crypto });
  const keys = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);

  const cert = new pkijs.Certificate();
  cert.version = 2; // X.509 v3
  // 16 random bytes, top bit cleared so the INTEGER stays positive (RFC 5280 4.1.2.2).
  const serial = webcrypto.getRandomValues(new Uint8Array(16));
  serial[0]! &= 0x7f;
  cert.serialNumber = new asn1js.Integer({ valueHex: serial.buffer });
  cert.subject = distinguishedName(subject);
  cert.issuer = distinguishedName(subject); // self-signed
  cert.notBefore.value = notBefore;
  cert.notAfter.value = new Date(notBefore.getTime() + validityDays * 86_400_000);
  cert.extensions = [
    new pkijs.Extension({
      extnID: BASIC_CONSTRAINTS_OID,
      critical: true,
      extnValue: new pkijs.BasicConstraints({ cA: false }).toSchema().toBER(false),
    }),
    new pkijs.Extension({
      extnID: FIDO_TRANSPORTS_OID,
      critical: false,
      extnValue: new asn1js.BitString(TRANSPORT_USB).toBER(false),
    }),
  ];
  await cert.subjectPublicKeyInfo.importKey(keys.publicKey, engine);
  await cert.sign(keys.privateKey, 'SHA-256', engine);

  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return {
    certificatePem: toPem('CERTIFICATE', cert.toSchema(true).toBER(false)),
    privateKeyPem: toPem('PRIVATE KEY', pkcs8),
  };
}

/**
 * `CN=x, O=y` as an X.501 Name with one attribute per RDN. Built as DER and parsed back because
 * pkijs, given attributes alone, puts them all into one multi-valued RDN (`CN=x + O=y`).
 */
function distinguishedName(dn: string): pkijs.RelativeDistinguishedNames {
  const rdns = parseDistinguishedName(dn).map(
    (attribute) => new asn1js.Set({ value: [new pkijs.AttributeTypeAndValue(attribute).toSchema()] }),
  );
  const der = new asn1js.Sequence({ value: rdns }).toBER(false);
  return new pkijs.RelativeDistinguishedNames({ schema: asn1js.fromBER(der).result });
}

/** `CN=x, O=y` into attribute type/value pairs; values may not contain commas. */
function parseDistinguishedName(dn: string): { type: string; value: asn1js.Utf8String | asn1js.PrintableString }[] {
  return dn.split(',').map((part) => {
    const match = /^\s*([A-Za-z]+)\s*=\s*(.+?)\s*$/.exec(part);
    const oid = match ? NAME_OIDS[match[1]!.toUpperCase()] : undefined;
    if (!match || !oid) {
      throw new TypeError(`invalid subject part ${JSON.stringify(part.trim())}: expected one of ${Object.keys(NAME_OIDS).join(', ')} as NAME=value`);
    }
    const [, name, value] = match as unknown as [string, string, string];
    // X.520 requires PrintableString for country and serial number.
    const text = name.toUpperCase() === 'C' || name.toUpperCase() === 'SERIALNUMBER'
      ? new asn1js.PrintableString({ value })
      : new asn1js.Utf8String({ value });
    return { type: oid, value: text };
  });
}

function toPem(label: string, der: ArrayBuffer): string {
  const lines = Buffer.from(der).toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
