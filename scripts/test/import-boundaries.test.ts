// The structure check: every way a file can reach into another package is reported. (That the
// repository has none is `pnpm lint:imports`, a turbo task whose inputs are every source file, so
// a cached test cannot hide a new edge.)
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findBoundaryViolations } from '../lib/import-boundaries.mjs';

const scratch = mkdtempSync(join(tmpdir(), 'rtk-boundaries-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A workspace with packages `a` (depends on b) and `b`, plus `files` written into it. */
function tree(name: string, files: Record<string, string>, aManifest: object = {}): string {
  const dir = join(scratch, name);
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  write('pnpm-workspace.yaml', 'packages:\n  - pkgs/*\n');
  write(
    'pkgs/a/package.json',
    JSON.stringify({
      name: '@x/a',
      dependencies: { '@x/b': 'workspace:*', yaml: '2.9.1' },
      ...aManifest,
    }),
  );
  write('pkgs/b/package.json', JSON.stringify({ name: '@x/b' }));
  write('pkgs/b/src/index.ts', 'export const b = 1;\n');
  write('pkgs/c/package.json', JSON.stringify({ name: '@x/c' }));
  for (const [path, text] of Object.entries(files)) write(path, text);
  return dir;
}

describe('import boundaries', () => {
  it('accepts own files, built-ins, declared packages and the repository root', () => {
    const dir = tree('clean', {
      'pkgs/a/src/index.ts': [
        "import { readFileSync } from 'node:fs';",
        "import { join } from 'path';",
        "import { b } from '@x/b';",
        "import { parse } from 'yaml';",
        "import { own } from './own.js';",
        "export * from '@x/a/other';",
        "const repo = new URL('../../..', import.meta.url);",
        "const report = new URL('../../../docs/report.md', import.meta.url);",
      ].join('\n'),
      'pkgs/a/src/own.ts': 'export const own = 1;\n',
    });
    expect(findBoundaryViolations(dir)).toEqual([]);
  });

  it.each([
    [
      'a relative import into another package',
      "import { b } from '../../b/src/index.js';",
      /import "..\/..\/b\/src\/index.js" reaches into @x\/b/,
    ],
    [
      'a relative import out of the package',
      "export * from '../../../lib/x.mjs';",
      /reaches outside @x\/a/,
    ],
    [
      'a dynamic import into another package',
      "await import('../../b/src/index.js');",
      /reaches into @x\/b/,
    ],
    [
      'a file URL into another package',
      "new URL('../../b/data.yaml', import.meta.url);",
      /new URL "..\/..\/b\/data.yaml" reaches into @x\/b/,
    ],
    [
      'an undeclared workspace package',
      "import '@x/c';",
      /imports "@x\/c", which @x\/a's package.json does not declare/,
    ],
    [
      'an undeclared registry package',
      "import { z } from 'zod/mini';",
      /imports "zod", which @x\/a's package.json does not declare/,
    ],
  ])('reports %s, with its line', (_name, code, problem) => {
    const dir = tree(`bad-${_name.replaceAll(' ', '-')}`, {
      'pkgs/a/src/index.ts': `// first line\n${code}\n`,
    });
    const violations = findBoundaryViolations(dir);
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatchObject({ file: join('pkgs', 'a', 'src', 'index.ts'), line: 2 });
    expect(violations[0]?.problem).toMatch(problem);
  });

  it('reports a workspace package declared with a registry range', () => {
    const dir = tree(
      'range',
      { 'pkgs/a/src/index.ts': "import '@x/b';\n" },
      {
        dependencies: { '@x/b': '^1.0.0' },
      },
    );
    expect(findBoundaryViolations(dir).map((v) => v.problem)).toEqual([
      'imports workspace package "@x/b" without a "workspace:" range: declare it as "workspace:*"',
    ]);
  });

  it("reports a package.json script that uses another package's files", () => {
    const dir = tree(
      'script',
      {},
      { scripts: { build: 'bundle ../b/spec.yaml -o dist/spec.yaml' } },
    );
    expect(findBoundaryViolations(dir)).toEqual([
      {
        file: join('pkgs', 'a', 'package.json'),
        line: 0,
        problem: expect.stringMatching(/script "build" uses "..\/b\/spec.yaml", outside @x\/a/),
      },
    ]);
  });
});
