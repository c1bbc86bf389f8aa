/** A mistake in how the CLI was called (flags, env vars, the ensure file): exit code 2. */
export class UsageError extends Error {
  override get name(): string {
    return 'UsageError';
  }
}
