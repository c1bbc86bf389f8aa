// A package's `pnpm generate`: runs each of its generators, in order, with the same flags
// (`--check`, `--spec <path>`), so one command writes, or checks, every generated file of the
// package, and fails when any generator does.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Runs each generator (URLs of scripts) with this process's arguments; exit code 1 if one fails. */
export function runGenerators(generators, argv = process.argv) {
  let failed = false;
  for (const generator of generators) {
    const { status } = spawnSync(process.execPath, [fileURLToPath(generator), ...argv.slice(2)], {
      stdio: 'inherit',
    });
    if (status !== 0) failed = true;
  }
  process.exitCode = failed ? 1 : 0;
}
