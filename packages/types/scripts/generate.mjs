// `pnpm generate`: runs each generator with the same flags (`--check`, `--spec <path>`), so one
// command writes, or checks, every generated file of this package.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const generators = ['generate-types.mjs', 'generate-schemas.mjs', 'generate-examples.mjs'];
let failed = false;
for (const generator of generators) {
  const script = fileURLToPath(new URL(generator, import.meta.url));
  const { status } = spawnSync(process.execPath, [script, ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  if (status !== 0) failed = true;
}
process.exitCode = failed ? 1 : 0;
