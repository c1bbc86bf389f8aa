// What npm users install must be well formed: publint and "are the types wrong" on each public
// package, a files whitelist, and types first in every export.
import { execFile } from 'node:child_process';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { describe, expect, it } from 'vitest';
import { publicPackages } from '../lib/workspace.mjs';

const packages = publicPackages().map((p) => [p.manifest.name as string, p] as const);

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

  it('whitelists its files and puts types first in every export', () => {
    expect(manifest.files).toContain('dist');
    for (const [entry, target] of Object.entries(manifest.exports as Record<string, unknown>)) {
      if (typeof target === 'string') continue; // ./package.json and data files
      expect(Object.keys(target as object)[0], entry).toBe('types');
    }
  });
});
