/**
 * A mistake on the command line (a flag value, a missing or extra argument, a missing --yes): reported with
 * the command's usage line and exit code 2, as oclif's own parse errors are. Other failures exit 1.
 */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Exit codes scripts can rely on (README "Scripts"). */
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
