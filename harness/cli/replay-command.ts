// `keyloop replay`: send a recorded run's U2F requests to another token target and report, field
// by field, where the two tokens' answers differ.
import type { Command } from 'commander';
import { TOKEN_TARGET_FORMS } from '../targets/target-forms.ts';
import { count } from './parse-flags.ts';

export interface ReplayFlags {
  token: string;
  select?: string[];
  profile?: string;
  state?: string;
  reports: string;
  json: boolean;
  presenceTimeout: number;
}

export function registerReplayCommand(program: Command): void {
  program
    .command('replay')
    .argument('<transcript>', 'a run id under --reports (latest included), a run directory, or a transcript.jsonl')
    .description("Send a recorded run's U2F requests to another token and report, field by field, where the answers differ.")
    .option('--token <target>', `token target to replay to: ${TOKEN_TARGET_FORMS.join(' | ')}`, 'emulator')
    .option('--select <pattern...>', 'recorded scenario ids (glob * allowed) or suite names; default: all')
    .option('--profile <file>', 'device profile JSON for the emulator target (default: fixtures/profiles/default.json)')
    .option('--state <dir>', 'emulator token state directory (default: a temporary one, so new keys)')
    .option('--reports <dir>', 'where run ids are looked up and replay-<run-id>-<target>/replay.json is written', 'reports')
    .option('--json', 'print the replay result as JSON on stdout instead of lines', false)
    .option('--presence-timeout <ms>', 'how long a step that needed a touch waits for one on the target', count(600_000), 30_000)
    .addHelpText('after', `
Each recorded scenario with U2F APDUs is replayed on its own CTAPHID channel, its commands in order:
  - key handles: the target's REGISTER answer gives another key handle than the recording; later
    AUTHENTICATE commands of the scenario carry the target's handle in place of the recorded one
  - touches: repeated commands answered 6985 count as one step; when the recording got past 6985,
    the target is polled until it answers otherwise or --presence-timeout passes. A difference in
    presence behaviour is a note, not a difference, unless the final answer differs
  - compared: the status word (6A80 WRONG_DATA); VERSION's string; REGISTER's reserved byte, key
    format, key handle length, attestation subject and signature (verified with node:crypto over
    the replayed challenge and application); AUTHENTICATE's presence bit, counter order within the
    scenario (not values) and signature under the target's own key; the data length of others.
    Signatures and counters are compared by verification and order, never by bytes
  - timing: each step's replayed / recorded duration, summarised per scenario as a median
CTAPHID-only scenarios (raw reports, no APDUs) and HTTP messages are not replayed: they are counted.

Exit codes: 0 no differences, 1 differences (or a scenario the target could not serve), 2 could not run.
Examples:
  keyloop replay latest --token usbip://127.0.0.1:3240/1-1
  keyloop replay reports/20261128-173012-4821 --profile fixtures/profiles/faulty.json
  keyloop replay latest --select 'u2f.counter-*' --json`)
    .action(async (transcript: string, flags: ReplayFlags) => {
      const { replay } = await import('./replay-action.ts');
      process.exitCode = await replay(transcript, flags);
    });
}
