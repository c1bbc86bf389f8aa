// The README's test command ends with the totals of every package's tests, and still fails when a
// task failed: the root `test` script, run by sh as pnpm runs it, with turbo stood in for.
import { execFile } from 'node:child_process';
import { chmod, cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { root } from '../lib/workspace.mjs';

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'rtk-test-command-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** Runs the root package's `test` script in `dir` with `bin` first on PATH. */
async function runTestScript(dir: string, bin: string) {
  const { scripts } = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
  return new Promise<{ code: number; lines: string[] }>((resolve) => {
    execFile(
      'sh',
      ['-c', scripts.test],
      { cwd: dir, env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } },
      (error, stdout) =>
        resolve({
          code: error ? Number(error.code) : 0,
          lines: stdout.trimEnd().split('\n'),
        }),
    );
  });
}

it.each([
  ['every task passed', 0],
  ['a task failed', 3],
])('%s: the last line sums every report, and the exit code is turbo’s', async (_what, exit) => {
  const dir = join(work, `exit-${exit}`);
  const bin = join(dir, 'bin');
  await mkdir(bin, { recursive: true });
  await cp(join(root, 'scripts', 'test-totals.mjs'), join(dir, 'scripts', 'test-totals.mjs'));
  // turbo's stand-in: per-package summaries as turbo prints them, then the reports vitest writes.
  const turbo = join(bin, 'turbo');
  await writeFile(turbo, `#!/bin/sh\necho " Tasks:    12 successful, 12 total"\nexit ${exit}\n`);
  await chmod(turbo, 0o755);
  const report = (passed: number, failed: number) =>
    JSON.stringify({
      numPassedTests: passed,
      numFailedTests: failed,
      numPendingTests: 0,
      numTodoTests: 0,
    });
  for (const [name, passed, failed] of [
    ['client', 40, 0],
    ['receiver', 60, exit === 0 ? 0 : 2],
  ] as const) {
    await mkdir(join(dir, 'packages', name), { recursive: true });
    await writeFile(join(dir, 'packages', name, 'test-results.json'), report(passed, failed));
  }
  await mkdir(join(dir, 'scripts'), { recursive: true });
  await writeFile(join(dir, 'scripts', 'test-results.json'), report(7, 0));
  const run = await runTestScript(dir, bin);
  expect(run.code).toBe(exit);
  expect(run.lines.at(-1)).toBe(`107 passed, ${exit === 0 ? 0 : 2} failed`);
});
