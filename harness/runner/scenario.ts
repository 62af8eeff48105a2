// The scenario API: what a scenario file declares and what its body receives.
import type { CtaphidClient } from '../ctaphid/index.ts';
import type { U2fClient } from '../u2f/index.ts';
import type { ReportTransport } from '../transports/report-transport.ts';
import type { Capability, TokenControl } from '../targets/token-target.ts';
import type { IamCapability } from '../targets/iam-target.ts';
import type { IamAccess } from './iam-access.ts';
import type { Expect } from './expect.ts';

/** What the machine running the harness offers: 'browser' is Debian's Chromium at /usr/bin/chromium. */
export type HostCapability = 'browser';

/** What a scenario may need: token capabilities, an IAM target, what that target can do, and the host's. */
export type Requirement = Capability | 'iam' | IamCapability | HostCapability;

export interface Scenario {
  /** Stable id, `suite.name`, used for selection and in reports. */
  id: string;
  title: string;
  /** Free-form labels for selection (`--select tag:presence`). */
  tags?: string[];
  /** Target capabilities the body needs; the runner skips with a reason when one is missing. */
  requires?: Requirement[];
  /** Per-scenario time limit; the runner fails the scenario when it is exceeded. */
  timeoutMs?: number;
  run(context: ScenarioContext): Promise<void>;
}

export interface TokenAccess {
  /** A fresh raw report transport to the token (closed by the runner after the scenario). */
  transport(): Promise<ReportTransport>;
  /** A CTAPHID channel on a fresh transport. */
  channel(): Promise<CtaphidClient>;
  /** A U2F client on a fresh CTAPHID channel. */
  u2f(options?: { presenceTimeoutMs?: number }): Promise<U2fClient>;
  /** Emulator control (presence, touch, restart); present only when the target has it. */
  control?: TokenControl;
}

export interface ScenarioContext {
  token: TokenAccess;
  /** Present when the run has an IAM target (scenarios that need it declare `requires: ['iam']`). */
  iam?: IamAccess;
  expect: Expect;
  /** Run and time a named step; its name and duration go into the result. */
  step<T>(name: string, body: () => Promise<T> | T): Promise<T>;
  /** Note something worth reporting that is not a pass/fail criterion. */
  observe(note: string): void;
  /** Aborted when the scenario times out. */
  signal: AbortSignal;
  /** This scenario's own directory for files the report keeps (screenshots); absent when the run keeps none. */
  artifactsDir?: string;
}

/** Identity function that gives scenario files type checking and a single import. */
export function defineScenario(scenario: Scenario): Scenario {
  return scenario;
}
