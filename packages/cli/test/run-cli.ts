import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built CLI. */
export const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

/** What a run of the CLI left behind. */
export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built CLI as a real process with exactly `env` (plus PATH); `input`, when given, is
 * written to its standard input.
 */
export function runCli(
  args: readonly string[],
  env: Record<string, string> = {},
  cwd?: string,
  input?: string,
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
      cwd,
      timeout: 50_000,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      stdout += text;
    });
    child.stderr.setEncoding('utf8').on('data', (text: string) => {
      stderr += text;
    });
    child.stdin.on('error', () => {}); // the CLI may exit before reading it all
    child.stdin.end(input ?? '');
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}
