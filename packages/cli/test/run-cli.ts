import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

/** What a run of the CLI left behind. */
export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI as a real process with exactly `env` (plus PATH). */
export function runCli(
  args: readonly string[],
  env: Record<string, string> = {},
  cwd?: string,
): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { env: { PATH: process.env.PATH ?? '', ...env }, cwd, timeout: 50_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
