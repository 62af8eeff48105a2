// Token targets: where the harness finds a key. Every target hands out 64-byte report
// transports; what differs is how (in-process pipe, UDP, USB/IP, node-hid) and what else it can do.
import type { PresencePolicy } from '../../emulator/token/index.ts';
import type { ReportTransport } from '../transports/report-transport.ts';
import type { UsbDescriptorSummary } from './usb-descriptors.ts';

/** What a scenario may need beyond sending reports. */
export type Capability =
  /** Set the presence policy and deliver touches from code (emulator). */
  | 'presence-control'
  /** Power-cycle the token while keeping its state (emulator). */
  | 'restart';

/** Async because a remote key is controlled through `keyloop up`'s control port. */
export interface TokenControl {
  setPresence(policy: PresencePolicy): Promise<void>;
  touch(): Promise<void>;
  /** Close and reopen the token from its persisted state, as a power cycle would (needs 'restart'). */
  restart(): Promise<void>;
  /** Back to the presence policy the target started with, between scenarios. */
  reset(): Promise<void>;
}

/** A target's self-description, for output and reports. */
export interface TokenDescription {
  target: string;
  kind: 'emulator' | 'udp' | 'usbip' | 'hid';
  vendorId?: number;
  productId?: number;
  manufacturer?: string;
  product?: string;
  serialNumber?: string;
  /** Device version as CTAPHID_INIT reports it: `1.0.0`. */
  deviceVersion?: string;
  /** CTAPHID_INIT capability flags by name: `WINK`, `CBOR`, `NMSG`. */
  capabilityFlags?: string[];
  attestationSubject?: string;
  /** SHA-256 of the attestation certificate's DER, `AB:CD:...` (X509Certificate.fingerprint256). */
  attestationFingerprint?: string;
  /** A physical key's USB descriptors as libusb reports them (hid targets). */
  usbDescriptors?: UsbDescriptorSummary;
}

export interface TokenTarget {
  readonly description: TokenDescription;
  readonly capabilities: ReadonlySet<Capability>;
  readonly control?: TokenControl;
  openTransport(): Promise<ReportTransport>;
  close(): Promise<void>;
}
