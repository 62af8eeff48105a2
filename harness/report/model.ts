// The report model, format version 1: what report.json holds and every renderer reads. It is a
// published format (schemas/report.schema.json), built once from a run result and re-readable
// later, so that reports can be re-rendered and compared without rerunning anything.
import type { Outcome } from '../runner/index.ts';

export type { Outcome };

export const REPORT_FORMAT_VERSION = 1;

export type OutcomeCounts = Record<Outcome, number> & { total: number };

export interface Report {
  formatVersion: typeof REPORT_FORMAT_VERSION;
  tool: ToolFacts;
  runId: string;
  /** ISO 8601 UTC start of the run. */
  startedAt: string;
  durationMs: number;
  host: HostFacts;
  targets: TargetsUnderTest;
  totals: OutcomeCounts;
  /** Totals per suite (first segment of the scenario id: `u2f`, `ctaphid`), in run order. */
  suites: GroupTotals[];
  /** Totals per tag (`negative`, `presence`), sorted by name; a scenario counts under each of its tags but its suite's name. */
  categories: GroupTotals[];
  scenarios: ScenarioReport[];
}

export interface ToolFacts {
  name: 'keyloop';
  /** package.json version. */
  version: string;
  /** `git rev-parse --short HEAD` of the checkout, when it is one. */
  commit?: string;
}

export interface HostFacts {
  hostname: string;
  /** `process.platform` and `os.release()`: `linux 6.1.0-18-amd64`. */
  platform: string;
  arch: string;
  /** `process.version`. */
  node: string;
}

export interface TargetsUnderTest {
  token: DeviceUnderTest;
  iam?: IamUnderTest;
}

/** The token target's self-description; numbers stay numbers (renderers print ids as 0x1209). */
export interface DeviceUnderTest {
  /** The --token value: `emulator`, `udp://127.0.0.1:8111`, `hid:/dev/hidraw3`. */
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
  /** SHA-256 of the attestation certificate's DER, as `AB:CD:...` (node's X509Certificate.fingerprint256). */
  attestationFingerprint?: string;
}

/** The IAM target of the run: the embedded mock or a real account. */
export interface IamUnderTest {
  /** The --iam value: `mock`, `aws`, `aws:PROFILE`. */
  target: string;
  kind: 'mock' | 'aws';
  /** Where IAM requests went. */
  endpoint: string;
  accountId?: string;
  /** The region requests were signed for. */
  region?: string;
  /** The harness's own principal there. */
  principalArn?: string;
}

export interface GroupTotals {
  name: string;
  totals: OutcomeCounts;
  /** Sum of the scenarios' durations. */
  durationMs: number;
}

export interface ScenarioReport {
  id: string;
  title: string;
  suite: string;
  tags: string[];
  outcome: Outcome;
  /** Why it failed, errored or was skipped. */
  reason?: string;
  expected?: string;
  actual?: string;
  durationMs: number;
  steps: StepReport[];
  observations: string[];
  /** Where the scenario's exchanges are in the run's transcript. */
  transcript?: TranscriptRange;
}

export interface StepReport {
  name: string;
  outcome: Exclude<Outcome, 'skip'>;
  durationMs: number;
}

/** Lines `from`..`to` (1-based, inclusive) of a transcript file in the run directory. */
export interface TranscriptRange {
  file: string;
  from: number;
  to: number;
}
