// The contract every fuzz target under fuzz/targets/ meets: one input surface, its generated
// inputs, and the properties checked on each one. The runner (fuzz-run.ts) adds the properties
// that hold for every surface: no crash, no hang, bounded memory.
import type fc from 'fast-check';

export interface FuzzTarget<Context, Input> {
  /** Name on the command line and in reports, e.g. `ctaphid-reports`. */
  readonly name: string;
  /** The surface in one line: what is fed where. */
  readonly surface: string;
  /** Inputs: generated from the protocol's grammar and mutated from valid messages. */
  readonly input: fc.Arbitrary<Input>;
  /** How long one input may take before it counts as a hang (default 5000 ms). */
  readonly hangMilliseconds?: number;
  /** Starts what the inputs are fed to (servers, tokens), once per run. */
  setup(): Promise<Context>;
  /**
   * Feeds one input and checks the surface's properties (a protocol-correct answer, no state change
   * from a rejected request); throws to report a finding. Returns the outcome's label, e.g.
   * `SW_WRONG_DATA` or `400 InvalidAction`: the tally shows how deep the inputs reach.
   */
  execute(context: Context, input: Input): Promise<string>;
  teardown(context: Context): Promise<void>;
}

/** Identity, so that a target's Context and Input types are inferred where it is defined. */
export function defineFuzzTarget<Context, Input>(target: FuzzTarget<Context, Input>): FuzzTarget<Context, Input> {
  return target;
}
