// A throwaway git repository shaped like this one (the spec, the four spec packages at 0.4.0, a
// .changeset folder), committed once, for the scripts that compare the spec with its last release.
import { execFile, execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { specPath } from '@realtimekit-webhooks/spec';

/** The repository, the spec's path in it, and ways to run a script there and to edit the spec. */
export function throwawayRepo(prefix: string) {
  const repo = mkdtempSync(join(tmpdir(), prefix));
  const spec = join(repo, 'spec', 'realtimekit-webhooks.yaml');
  mkdirSync(join(repo, 'spec'));
  mkdirSync(join(repo, '.changeset'));
  cpSync(specPath, spec);
  writeFileSync(join(repo, '.changeset', 'config.json'), '{}');
  for (const name of ['types', 'client', 'receiver', 'mock']) {
    mkdirSync(join(repo, 'packages', name), { recursive: true });
    writeFileSync(
      join(repo, 'packages', name, 'package.json'),
      JSON.stringify({ name: `@realtimekit-webhooks/${name}`, version: '0.4.0' }),
    );
  }
  const git = (...args: string[]) =>
    execFileSync(
      'git',
      ['-c', 'user.name=test', '-c', 'user.email=test@example.invalid', ...args],
      {
        cwd: repo,
        stdio: 'pipe',
      },
    );
  git('init', '-q');
  git('add', '-A');
  git('commit', '-qm', 'spec');
  return {
    repo,
    /** Runs `script` (a path) with `args` in the repository: its exit code and all it printed. */
    run: (script: string, ...args: string[]) =>
      new Promise<{ code: number; out: string }>((resolve) => {
        execFile(process.execPath, [script, ...args], { cwd: repo }, (error, stdout, stderr) => {
          resolve({ code: error ? Number(error.code) : 0, out: stdout + stderr });
        });
      }),
    /** Rewrites the repository's spec with `edit` applied to the committed spec's text. */
    editSpec: (edit: (text: string) => string) =>
      writeFileSync(spec, edit(readFileSync(specPath, 'utf8'))),
    remove: () => rmSync(repo, { recursive: true, force: true }),
  };
}
