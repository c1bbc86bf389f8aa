// What npm users install must be well formed: publint and "are the types wrong" on each public
// package, a files whitelist, types first in every export, and what npm shows on a package's
// page (README, LICENSE, repository, homepage, bugs, keywords) in the tarball itself.
import { execFile, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { describe, expect, it } from 'vitest';
import { publicPackages, root } from '../lib/workspace.mjs';

const packages = publicPackages().map((p) => [p.manifest.name as string, p] as const);
const rootManifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const license = readFileSync(join(root, 'LICENSE'), 'utf8');
/** The repository's web address, from the root package.json (the one place it is written). */
const repositoryWeb = (rootManifest.repository.url as string)
  .replace(/^git\+/, '')
  .replace(/\.git$/, '');

/** The files `npm pack` puts in the package's tarball. */
function tarballFiles(dir: string): string[] {
  const [pack] = JSON.parse(
    execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }),
  );
  return pack.files.map((file: { path: string }) => file.path);
}

describe.each(packages)('%s', (_name, { dir, manifest }) => {
  it('passes publint with no warning', async () => {
    const { messages } = await publint({ pkgDir: dir, level: 'warning', pack: 'pnpm' });
    expect(messages.map((m) => formatMessage(m, manifest))).toEqual([]);
  });

  it('passes attw --pack (ESM-only profile)', async () => {
    // Data files (the mock's bundled spec) are exported on purpose; they are not modules.
    const dataEntries = Object.keys(manifest.exports).filter((entry) =>
      /\.(ya?ml|json)$/.test(entry),
    );
    const args = ['--pack', dir, '--profile', 'esm-only', '--format', 'ascii'];
    if (dataEntries.length > 0) args.push('--exclude-entrypoints', ...dataEntries);
    const result = await new Promise<{ code: number; output: string }>((resolve) => {
      execFile('attw', args, { timeout: 120_000 }, (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, output: stdout + stderr }),
      );
    });
    // attw exits non-zero on any problem outside the resolutions the profile ignores.
    expect(result.code, result.output).toBe(0);
    // The CLI is a program: its only export is package.json, so there is no module to resolve.
    const modules = Object.values(manifest.exports as Record<string, unknown>).filter(
      (target) => typeof target !== 'string',
    );
    expect(result.output).toContain(
      modules.length > 0 ? 'node16 (from ESM): 🟢' : 'No problems found',
    );
  });

  it("carries what npm shows: README, the repository's LICENSE, repository, homepage, bugs, keywords", () => {
    const files = tarballFiles(dir);
    expect(files).toEqual(expect.arrayContaining(['README.md', 'LICENSE', 'package.json']));
    expect(readFileSync(join(dir, 'LICENSE'), 'utf8')).toBe(license);
    expect(manifest.license).toBe('MIT');
    const readme = readFileSync(join(dir, 'README.md'), 'utf8');
    expect(readme.startsWith(`# ${manifest.name}\n`)).toBe(true);
    expect(readme).toMatch(/## Install\n[\s\S]*## Example\n[\s\S]*## Documentation\n/);
    expect(manifest.repository).toEqual({
      ...rootManifest.repository,
      directory: relative(root, dir),
    });
    expect(manifest.homepage).toBe(`${repositoryWeb}/tree/main/${relative(root, dir)}#readme`);
    expect(manifest.bugs).toEqual(rootManifest.bugs);
    expect(manifest.keywords).toEqual(
      expect.arrayContaining(['cloudflare', 'realtimekit', 'webhooks']),
    );
  });

  it('whitelists its files and puts types first in every export', () => {
    expect(manifest.files).toContain('dist');
    for (const [entry, target] of Object.entries(manifest.exports as Record<string, unknown>)) {
      if (typeof target === 'string') continue; // ./package.json and data files
      expect(Object.keys(target as object)[0], entry).toBe('types');
    }
  });
});
