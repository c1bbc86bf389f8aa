// Runs Redocly CLI (the caller's own pinned copy, found on PATH as `redocly`) with telemetry and
// update checks off, and without the boxed notices it prints on its own (Node.js 20's end of life
// for its future releases, Redoc 3): they change nothing the pinned version builds, so one line
// says they were left out. On a failure, its whole output is printed.
import { spawnSync } from 'node:child_process';

/** Runs `redocly ...args`; throws when it fails. */
export function runRedocly(args) {
  const run = spawnSync('redocly', args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
  });
  const output = `${run.stdout ?? ''}${run.stderr ?? ''}`;
  if (run.status !== 0) {
    process.stderr.write(output);
    throw new Error(
      `redocly ${args[0]} failed${run.error ? `: ${run.error.message}` : ' (output above)'}`,
    );
  }
  const boxed = output.split('\n').filter((line) => /[╔║╚]/.test(line) && /[A-Za-z]/.test(line));
  const rest = output
    .split('\n')
    .filter((line) => !/[╔║╚═]/.test(line) && line.trim() !== '')
    .join('\n');
  if (rest !== '') console.log(rest);
  if (boxed.length > 0) {
    console.log(
      "(Redocly's notices about Node.js 20 and Redoc 3 left out: see CONTRIBUTING.md, The documentation site)",
    );
  }
}
