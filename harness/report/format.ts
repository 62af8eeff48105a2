// Wording and number formats shared by the Markdown, HTML and comparison renderers, so every
// report says "2 failed" and "12.3 ms" the same way.
import type { DeviceUnderTest, IamUnderTest, Outcome, OutcomeCounts, Report } from './model.ts';

export const OUTCOMES: readonly Outcome[] = ['fail', 'error', 'skip', 'pass'];

export const OUTCOME_LABEL: Record<Outcome, string> = { pass: 'passed', fail: 'failed', skip: 'skipped', error: 'error' };

export const OUTCOME_SYMBOL: Record<Outcome, string> = { pass: '✓', fail: '✗', skip: '○', error: '!' };

/** A run passes when nothing failed or errored; skips do not fail it (as `keyloop run`'s exit code). */
export function runPassed(totals: OutcomeCounts): boolean {
  return totals.fail + totals.error === 0;
}

/** `24 scenarios: 20 passed, 2 failed, 1 skipped, 1 error`. */
export function describeTotals(totals: OutcomeCounts): string {
  const parts = [`${totals.pass} passed`, `${totals.fail} failed`, `${totals.skip} skipped`, `${totals.error} ${totals.error === 1 ? 'error' : 'errors'}`];
  return `${totals.total} ${totals.total === 1 ? 'scenario' : 'scenarios'}: ${parts.join(', ')}`;
}

/** `0.42 ms`, `12.3 ms`, `512 ms`, `1.25 s`. */
export function formatMs(ms: number): string {
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 100) return `${ms.toFixed(1)} ms`;
  if (ms < 1000) return `${ms.toFixed(0)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

/** `2026-11-28 17:30:12 UTC`. */
export function formatTimestamp(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** A ratio as `×2.41` or `×0.50`. */
export function formatRatio(ratio: number): string {
  return `×${ratio.toFixed(2)}`;
}

/** The device under test as labelled rows, in the order people read them; absent fields are left out. */
export function deviceRows(device: DeviceUnderTest): Array<[string, string]> {
  const usbId = (id: number | undefined) => (id === undefined ? undefined : `0x${id.toString(16).padStart(4, '0')}`);
  const rows: Array<[string, string | undefined]> = [
    ['target', device.target],
    ['kind', device.kind],
    ['vendor id', usbId(device.vendorId)],
    ['product id', usbId(device.productId)],
    ['manufacturer', device.manufacturer],
    ['product', device.product],
    ['serial number', device.serialNumber],
    ['device version', device.deviceVersion],
    ['capabilities', device.capabilityFlags && (device.capabilityFlags.length > 0 ? device.capabilityFlags.join(', ') : 'none')],
    // node prints a subject one attribute per line; one line reads better in a table.
    ['attestation subject', device.attestationSubject?.split('\n').join(', ')],
    ['attestation SHA-256', device.attestationFingerprint],
  ];
  return rows.filter((row): row is [string, string] => row[1] !== undefined);
}

export function iamRows(iam: IamUnderTest): Array<[string, string]> {
  const rows: Array<[string, string | undefined]> = [
    ['target', iam.target],
    ['kind', iam.kind],
    ['endpoint', iam.endpoint],
    ['account', iam.accountId],
    ['region', iam.region],
    ['principal', iam.principalArn],
  ];
  return rows.filter((row): row is [string, string] => row[1] !== undefined);
}

/** `keyloop 0.1.0 (3f2c1ab) on build-7, linux 6.1.0 x64, node v20.19.1`. */
export function describeProvenance(report: Report): string {
  const { tool, host } = report;
  return `${tool.name} ${tool.version}${tool.commit ? ` (${tool.commit})` : ''} on ${host.hostname}, ${host.platform} ${host.arch}, node ${host.node}`;
}
