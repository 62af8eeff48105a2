// Exit codes of every keyloop command, so scripts can tell a failing token from a broken run.
export const ExitCode = {
  /** Everything selected passed (skips allowed). */
  PASS: 0,
  /** At least one scenario failed or errored. */
  FAIL: 1,
  /** The run could not start: bad flags, unreachable target, no scenario selected. */
  COULD_NOT_RUN: 2,
} as const;
