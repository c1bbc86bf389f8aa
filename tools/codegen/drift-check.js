// The drift tests' one way to run a package's `generate.mjs --check`: against the committed spec,
// or against a copy of it edited by the test (written to a temporary folder, removed after), so
// each package's test states only what it edits and which files must be named.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';

/** `generator --check [args]`: its exit code and everything it printed. */
function check(generator, args = []) {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [fileURLToPath(generator), '--check', ...args],
      (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, output: stdout + stderr }),
    );
  });
}

/** Checks the committed generated files against the spec. */
export function checkGenerated(generator) {
  return check(generator);
}

/** Checks them against a copy of `spec` (the parsed document) that `edit` changed in place. */
export async function checkAgainstEditedSpec(generator, spec, edit) {
  const scratch = await mkdtemp(join(tmpdir(), 'rtk-drift-'));
  try {
    const changed = structuredClone(spec);
    edit(changed);
    const edited = join(scratch, 'edited.yaml');
    await writeFile(edited, stringify(changed));
    return await check(generator, ['--spec', edited]);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
