// Device profiles: who the virtual key claims to be (USB ids and strings, CTAPHID version,
// attestation) and how it behaves (counter start, presence, signer). JSON files in
// fixtures/profiles/, documented in fixtures/profiles/README.md.
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AttestationFiles } from './attestation.ts';
import { parsePresencePolicy, type PresencePolicy } from './presence.ts';
import { SIGNER_KINDS, type SignerKind } from './signer.ts';
import { TokenError } from './token-error.ts';
import { parseFaultRules, type FaultRule } from '../faults/fault-rules.ts';

export const DEFAULT_PROFILE_PATH = fileURLToPath(new URL('../../fixtures/profiles/default.json', import.meta.url));
const DEFAULT_ATTESTATION: AttestationFiles = {
  certificate: fileURLToPath(new URL('../../fixtures/attestation/default.cert.pem', import.meta.url)),
  privateKey: fileURLToPath(new URL('../../fixtures/attestation/default.key.pem', import.meta.url)),
};

export interface DeviceProfile {
  /** Short identifier for logs and reports. */
  name: string;
  /** USB idVendor / idProduct, 0..0xFFFF (the JSON may write them as "0x1209"). */
  vendorId: number;
  productId: number;
  /** USB string descriptors (at most 126 characters each). */
  manufacturer: string;
  product: string;
  serialNumber: string;
  /** CTAPHID INIT device version bytes (and the USB bcdDevice major.minor). */
  deviceVersion: { major: number; minor: number; build: number };
  /** PEM files; absolute once loaded (the JSON gives them relative to the profile file). */
  attestation: AttestationFiles;
  /** Counter value of a new device: its first signature carries counterStart + 1. */
  counterStart: number;
  /** Initial presence policy; the JSON writes `auto`, `deny`, `manual` or `delay:MS`. */
  presence: PresencePolicy;
  signer: SignerKind;
  /** How long a manual touch() stays valid, in milliseconds. */
  touchTimeoutMs: number;
  /** Deliberate misbehaviour, applied between CTAPHID and the token (emulator/faults/). */
  faults: FaultRule[];
}

/** Read and validate a profile file (default: fixtures/profiles/default.json). */
export async function loadProfile(path: string = DEFAULT_PROFILE_PATH): Promise<DeviceProfile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new TokenError('INVALID_PROFILE', `cannot read profile ${path}: ${(error as Error).message}`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new TokenError('INVALID_PROFILE', `profile ${path} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  return parseProfile(json, { source: path, baseDir: dirname(path) });
}

export interface ParseProfileOptions {
  /** Named in error messages. */
  source?: string;
  /** Directory that relative attestation paths are resolved against. */
  baseDir?: string;
}

/** Validate a profile object, fill in defaults, and resolve attestation paths. */
export function parseProfile(json: unknown, { source = 'profile', baseDir = process.cwd() }: ParseProfileOptions = {}): DeviceProfile {
  const fail = (field: string, expected: string, got: unknown): never => {
    throw new TokenError('INVALID_PROFILE', `${source}: field "${field}" must be ${expected}, got ${JSON.stringify(got)}`);
  };
  if (!isRecord(json)) fail('(root)', 'an object', json);
  const p = json as Record<string, unknown>;
  const known = new Set(['name', 'vendorId', 'productId', 'manufacturer', 'product', 'serialNumber', 'deviceVersion', 'attestation', 'counterStart', 'presence', 'signer', 'touchTimeoutMs', 'faults']);
  for (const key of Object.keys(p)) if (!known.has(key)) fail(key, 'absent (unknown field)', p[key]);

  const string = (field: string, value: unknown, max: number): string =>
    typeof value === 'string' && value.length > 0 && value.length <= max ? value : fail(field, `a non-empty string of at most ${max} characters`, value);
  const integer = (field: string, value: unknown, max: number): number =>
    Number.isInteger(value) && (value as number) >= 0 && (value as number) <= max ? (value as number) : fail(field, `an integer 0..${max}`, value);
  // USB ids read best in hex, which JSON numbers cannot express.
  const usbId = (field: string, value: unknown): number =>
    typeof value === 'string' && /^0x[0-9a-f]{1,4}$/i.test(value) ? Number(value) : integer(field, value, 0xffff);

  const version = isRecord(p.deviceVersion) ? p.deviceVersion : fail('deviceVersion', 'an object {major, minor, build}', p.deviceVersion);
  const presence = ((): PresencePolicy => {
    try {
      return parsePresencePolicy((p.presence ?? 'auto') as string);
    } catch {
      return fail('presence', 'auto, deny, manual or delay:MS', p.presence);
    }
  })();
  const signer = p.signer ?? 'noble';
  if (!SIGNER_KINDS.includes(signer as SignerKind)) fail('signer', SIGNER_KINDS.join(' or '), signer);

  return {
    name: string('name', p.name, 64),
    vendorId: usbId('vendorId', p.vendorId),
    productId: usbId('productId', p.productId),
    manufacturer: string('manufacturer', p.manufacturer, 126),
    product: string('product', p.product, 126),
    serialNumber: string('serialNumber', p.serialNumber, 126),
    deviceVersion: {
      major: integer('deviceVersion.major', version.major, 0xff),
      minor: integer('deviceVersion.minor', version.minor, 0xff),
      build: integer('deviceVersion.build', version.build, 0xff),
    },
    attestation: attestationFiles(p.attestation, baseDir, fail),
    counterStart: integer('counterStart', p.counterStart ?? 0, 0xfffffffe),
    presence,
    signer: signer as SignerKind,
    touchTimeoutMs: integer('touchTimeoutMs', p.touchTimeoutMs ?? 3000, 3_600_000),
    faults: parseFaultRules(p.faults, fail),
  };
}

function attestationFiles(value: unknown, baseDir: string, fail: (field: string, expected: string, got: unknown) => never): AttestationFiles {
  if (value === undefined) return DEFAULT_ATTESTATION;
  if (!isRecord(value)) return fail('attestation', 'an object {certificate, privateKey}', value);
  const path = (field: 'certificate' | 'privateKey'): string =>
    typeof value[field] === 'string' && value[field] !== ''
      ? resolve(baseDir, value[field])
      : fail(`attestation.${field}`, 'a PEM file path relative to the profile', value[field]);
  return { certificate: path('certificate'), privateKey: path('privateKey') };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
