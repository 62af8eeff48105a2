// MFA devices (IAM API Reference: CreateVirtualMFADevice, DeleteVirtualMFADevice,
// ListVirtualMFADevices, EnableMFADevice, ResyncMFADevice, DeactivateMFADevice, ListMFADevices,
// GetMFADevice). Two kinds: virtual TOTP devices, created through the API and then assigned to a
// user; and FIDO security keys, which AWS lets users register only in the console, so the store
// takes them from the console code and the API only lists, reads and deactivates them.
import { securityKeyArn } from '../arns.ts';
import { alreadyExists, deleteConflict, limitExceeded, noSuchEntity } from '../errors.ts';
import type { StoreContext } from './context.ts';

export const MFA_DEVICES_PER_USER = 8;

export interface VirtualMfaDevice {
  serialNumber: string;
  /** The TOTP seed, base32 (RFC 4648) as AWS hands it out. */
  seedBase32: string;
  userName: string | undefined;
  enableDate: Date | undefined;
  /** The last TOTP time step accepted, so a code cannot be used twice. */
  lastStep: number | undefined;
  /** Time steps the device's clock runs ahead of ours, learned by ResyncMFADevice. */
  driftSteps: number;
  createDate: Date;
}

export interface SecurityKey {
  serialNumber: string;
  userName: string;
  /** The name the user gave it in the console. */
  name: string;
  credentialId: Buffer;
  /** The credential public key as the relying party stored it (COSE or SPKI bytes). */
  publicKey: Buffer;
  counter: number;
  /** Attestation statement format, e.g. `fido-u2f`. */
  attestationFormat: string;
  attestationObject: Buffer | undefined;
  /** GetMFADevice's Certifications map, e.g. `{ 'FIPS-140-2': 'L1' }`. */
  certifications: Record<string, string>;
  enableDate: Date;
}

export interface NewSecurityKey {
  userName: string;
  name: string;
  credentialId: Uint8Array;
  publicKey: Uint8Array;
  counter: number;
  attestationFormat: string;
  attestationObject?: Uint8Array;
  certifications?: Record<string, string>;
}

/** A device as ListMFADevices shows it. */
export interface AssignedMfaDevice {
  kind: 'virtual' | 'security-key';
  userName: string;
  serialNumber: string;
  enableDate: Date;
}

interface VirtualRow {
  serial: string;
  seed: string;
  user_name: string | null;
  enable_date: number | null;
  last_step: number | null;
  drift_steps: number;
  create_date: number;
}
interface SecurityKeyRow {
  serial: string;
  user_name: string;
  name: string;
  credential_id: Buffer;
  public_key: Buffer;
  counter: number;
  attestation_format: string;
  attestation_object: Buffer | null;
  certifications: string;
  enable_date: number;
}

const virtualDevice = (row: VirtualRow): VirtualMfaDevice => ({
  serialNumber: row.serial,
  seedBase32: row.seed,
  userName: row.user_name ?? undefined,
  enableDate: row.enable_date === null ? undefined : new Date(row.enable_date),
  lastStep: row.last_step ?? undefined,
  driftSteps: row.drift_steps,
  createDate: new Date(row.create_date),
});
const securityKey = (row: SecurityKeyRow): SecurityKey => ({
  serialNumber: row.serial,
  userName: row.user_name,
  name: row.name,
  credentialId: row.credential_id,
  publicKey: row.public_key,
  counter: row.counter,
  attestationFormat: row.attestation_format,
  attestationObject: row.attestation_object ?? undefined,
  certifications: JSON.parse(row.certifications) as Record<string, string>,
  enableDate: new Date(row.enable_date),
});

export class MfaStore {
  readonly #ctx: StoreContext;

  constructor(ctx: StoreContext) {
    this.#ctx = ctx;
  }

  createVirtual({ serialNumber, seedBase32 }: { serialNumber: string; seedBase32: string }): VirtualMfaDevice {
    if (this.findVirtual(serialNumber)) throw alreadyExists('MFADevice entity at the same path and name already exists.');
    const row: VirtualRow = { serial: serialNumber, seed: seedBase32, user_name: null, enable_date: null, last_step: null, drift_steps: 0, create_date: this.#ctx.clock() };
    this.#ctx
      .sql('INSERT INTO virtual_mfa_devices (serial, seed, user_name, enable_date, last_step, drift_steps, create_date) VALUES (@serial, @seed, @user_name, @enable_date, @last_step, @drift_steps, @create_date)')
      .run(row);
    return virtualDevice(row);
  }

  findVirtual(serialNumber: string): VirtualMfaDevice | undefined {
    const row = this.#ctx.sql<[string], VirtualRow>('SELECT * FROM virtual_mfa_devices WHERE serial = ?').get(serialNumber);
    return row && virtualDevice(row);
  }

  listVirtual(assignment: 'Assigned' | 'Unassigned' | 'Any' = 'Any'): VirtualMfaDevice[] {
    const filter = assignment === 'Assigned' ? 'WHERE user_name IS NOT NULL' : assignment === 'Unassigned' ? 'WHERE user_name IS NULL' : '';
    return this.#ctx.sql<[], VirtualRow>(`SELECT * FROM virtual_mfa_devices ${filter} ORDER BY serial`).all().map(virtualDevice);
  }

  deleteVirtual(serialNumber: string): void {
    const device = this.findVirtual(serialNumber);
    if (!device) throw noSuchEntity(`VirtualMFADevice with serial number ${serialNumber} doesn't exist.`);
    if (device.userName !== undefined) throw deleteConflict('MFA Device is in use.');
    this.#ctx.sql('DELETE FROM virtual_mfa_devices WHERE serial = ?').run(serialNumber);
  }

  #checkQuota(userName: string): void {
    if (this.listForUser(userName).length >= MFA_DEVICES_PER_USER) {
      throw limitExceeded(`Cannot exceed quota for MFADevicesPerUser: ${MFA_DEVICES_PER_USER}`);
    }
  }

  /** Assigns a virtual device to a user once two consecutive codes proved the user holds it. */
  enableVirtual(serialNumber: string, userName: string, acceptedStep: number): void {
    this.#checkQuota(userName);
    this.#ctx
      .sql('UPDATE virtual_mfa_devices SET user_name = ?, enable_date = ?, last_step = ? WHERE serial = ?')
      .run(userName, this.#ctx.clock(), acceptedStep, serialNumber);
  }

  recordVirtualUse(serialNumber: string, { lastStep, driftSteps }: { lastStep: number; driftSteps: number }): void {
    this.#ctx.sql('UPDATE virtual_mfa_devices SET last_step = ?, drift_steps = ? WHERE serial = ?').run(lastStep, driftSteps, serialNumber);
  }

  /** Virtual devices return to the unassigned pool; security keys are removed, as on AWS. */
  deactivate(userName: string, serialNumber: string): void {
    const unassigned = this.#ctx
      .sql('UPDATE virtual_mfa_devices SET user_name = NULL, enable_date = NULL, last_step = NULL, drift_steps = 0 WHERE serial = ? AND user_name = ?')
      .run(serialNumber, userName).changes;
    const removed = unassigned > 0 ? 0 : this.#ctx.sql('DELETE FROM security_keys WHERE serial = ? AND user_name = ?').run(serialNumber, userName).changes;
    if (unassigned + removed === 0) throw noSuchEntity(`MFA Device with serial number ${serialNumber} does not exist.`);
  }

  listForUser(userName: string): AssignedMfaDevice[] {
    const virtual = this.#ctx
      .sql<[string], VirtualRow>('SELECT * FROM virtual_mfa_devices WHERE user_name = ?')
      .all(userName)
      .map((row): AssignedMfaDevice => ({ kind: 'virtual', userName: row.user_name!, serialNumber: row.serial, enableDate: new Date(row.enable_date!) }));
    const keys = this.listSecurityKeys(userName).map(
      (key): AssignedMfaDevice => ({ kind: 'security-key', userName: key.userName, serialNumber: key.serialNumber, enableDate: key.enableDate }),
    );
    return [...virtual, ...keys].sort((a, b) => a.enableDate.getTime() - b.enableDate.getTime() || a.serialNumber.localeCompare(b.serialNumber));
  }

  addSecurityKey(key: NewSecurityKey): SecurityKey {
    this.#checkQuota(key.userName);
    const row: SecurityKeyRow = {
      serial: securityKeyArn(this.#ctx.accountId, key.userName, key.name, this.#ctx.ids.securityKeySuffix()),
      user_name: key.userName,
      name: key.name,
      credential_id: Buffer.from(key.credentialId),
      public_key: Buffer.from(key.publicKey),
      counter: key.counter,
      attestation_format: key.attestationFormat,
      attestation_object: key.attestationObject === undefined ? null : Buffer.from(key.attestationObject),
      certifications: JSON.stringify(key.certifications ?? {}),
      enable_date: this.#ctx.clock(),
    };
    this.#ctx
      .sql(
        `INSERT INTO security_keys (serial, user_name, name, credential_id, public_key, counter, attestation_format, attestation_object, certifications, enable_date)
         VALUES (@serial, @user_name, @name, @credential_id, @public_key, @counter, @attestation_format, @attestation_object, @certifications, @enable_date)`,
      )
      .run(row);
    return securityKey(row);
  }

  listSecurityKeys(userName: string): SecurityKey[] {
    return this.#ctx.sql<[string], SecurityKeyRow>('SELECT * FROM security_keys WHERE user_name = ? ORDER BY enable_date, serial').all(userName).map(securityKey);
  }

  findSecurityKey(serialNumber: string): SecurityKey | undefined {
    const row = this.#ctx.sql<[string], SecurityKeyRow>('SELECT * FROM security_keys WHERE serial = ?').get(serialNumber);
    return row && securityKey(row);
  }

  findSecurityKeyByCredentialId(credentialId: Uint8Array): SecurityKey | undefined {
    const row = this.#ctx.sql<[Buffer], SecurityKeyRow>('SELECT * FROM security_keys WHERE credential_id = ?').get(Buffer.from(credentialId));
    return row && securityKey(row);
  }

  /** Records the signature counter of the latest assertion. */
  updateSecurityKeyCounter(serialNumber: string, counter: number): void {
    const changed = this.#ctx.sql('UPDATE security_keys SET counter = ? WHERE serial = ?').run(counter, serialNumber).changes;
    if (changed === 0) throw noSuchEntity(`MFA Device with serial number ${serialNumber} does not exist.`);
  }
}
