// The private rules package is inlined into every published package that uses it: none of them
// may import it, in the JavaScript it runs or in the declarations its users type-check against,
// nor depend on it. (The surface budget counts only published entry points; this keeps that true.)
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { privateImports } from '../lib/private-imports.mjs';
import { publicPackages, workspacePackages } from '../lib/workspace.mjs';

const privateNames = new Set(
  workspacePackages()
    .filter((p) => p.manifest.private)
    .map((p) => p.manifest.name as string),
);
const scratch = mkdtempSync(join(tmpdir(), 'private-inlined-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('private workspace packages stay inside the published ones', () => {
  it('the rules package is private', () => {
    expect(privateNames.has('@realtimekit-webhooks/rules')).toBe(true);
  });

  it.each(publicPackages().map((p) => [p.manifest.name as string, p] as const))(
    '%s imports no private package in its built files and declarations',
    (_name, { dir, manifest }) => {
      expect(privateImports(dir, manifest, privateNames)).toEqual([]);
    },
  );

  it('finds an import left in the JavaScript, a reachable declaration, or the dependencies', () => {
    const dir = join(scratch, 'leaky');
    mkdirSync(join(dir, 'dist'), { recursive: true });
    const manifest = {
      exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' } },
      dependencies: { '@realtimekit-webhooks/rules': 'workspace:*' },
    };
    writeFileSync(
      join(dir, 'dist/index.js'),
      "import { checkSchema } from '@realtimekit-webhooks/rules';\n",
    );
    writeFileSync(join(dir, 'dist/index.d.ts'), "export * from './inner.js';\n");
    writeFileSync(
      join(dir, 'dist/inner.d.ts'),
      "export type { SchemaNode } from '@realtimekit-webhooks/rules';\n",
    );
    // Not reachable from an entry: a declaration users never load does not count.
    writeFileSync(join(dir, 'dist/unused.d.ts'), "import '@realtimekit-webhooks/rules';\n");
    expect(privateImports(dir, manifest, privateNames).sort()).toEqual([
      'dist/index.js: @realtimekit-webhooks/rules',
      'dist/inner.d.ts: @realtimekit-webhooks/rules',
      'package.json dependencies: @realtimekit-webhooks/rules',
    ]);
  });
});
