// Every TypeScript example in every README (the project's, each package's manual, CONTRIBUTING)
// type-checks, strictly, against the built packages as a user installs them. A block that is a
// fragment on purpose says so with `<!-- fragment -->` on the line before it; there are few.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { publicPackages, root, workspacePackageDirs } from '../lib/workspace.mjs';

const run = promisify(execFile);
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
// Inside this package, so the examples resolve the packages it depends on.
const scratch = join(root, 'scripts', '.readme-examples');
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const readmes = [
  join(root, 'README.md'),
  join(root, 'CONTRIBUTING.md'),
  ...workspacePackageDirs()
    .map((dir) => join(dir, 'README.md'))
    .filter((file) => existsSync(file)),
];

/** The ```ts blocks of a Markdown file: `{ code, line, fragment }`. */
function blocksOf(file: string) {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(<!-- fragment -->\n)?```ts\n([\s\S]*?)```/g)].map((match) => ({
    code: match[2] ?? '',
    line: text.slice(0, match.index).split('\n').length + (match[1] ? 1 : 0),
    fragment: match[1] !== undefined,
  }));
}

const examples = readmes.flatMap((file) =>
  blocksOf(file).map((block) => ({ ...block, where: `${relative(root, file)}:${block.line}` })),
);

describe('README examples', () => {
  it('every TypeScript package shows at least one in its README', () => {
    const shown = new Set(examples.map(({ where }) => where.split(':')[0]));
    const typescriptPackages = publicPackages()
      .filter(({ manifest }) => manifest.exports?.['.'])
      .map(({ dir }) => relative(root, join(dir, 'README.md')));
    expect(typescriptPackages.filter((readme) => !shown.has(readme))).toEqual([]);
  });

  it('fragments are few', () => {
    const fragments = examples.filter((example) => example.fragment);
    expect(fragments.length).toBeLessThanOrEqual(3);
  });

  it('each one that is not a fragment type-checks strictly against the built packages', async () => {
    rmSync(scratch, { recursive: true, force: true });
    mkdirSync(scratch, { recursive: true });
    const compiled = examples.filter((example) => !example.fragment);
    const files = compiled.map(({ code, where }, index) => {
      const file = `example-${index}.ts`;
      writeFileSync(join(scratch, file), `// ${where}\n${code}\nexport {};\n`);
      return file;
    });
    writeFileSync(
      join(scratch, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          target: 'ES2022',
          lib: ['ES2022', 'DOM', 'DOM.Iterable'],
          types: ['node'],
          strict: true,
          noEmit: true,
          skipLibCheck: true,
        },
        files,
      }),
    );
    const result = await run(process.execPath, [tsc, '-p', scratch]).catch(
      (error: { stdout: string }) => error,
    );
    // Name each failure by README and line, not by the scratch file.
    const output = 'stdout' in result ? result.stdout : '';
    const named = output.replace(
      /\.readme-examples\/example-(\d+)\.ts\((\d+),(\d+)\)/g,
      (_, i, l) => {
        const example = compiled[Number(i)];
        return `${example?.where.split(':')[0]}:${Number(example?.where.split(':')[1]) + Number(l) - 1}`;
      },
    );
    expect(named).toBe('');
    expect(compiled.length).toBeGreaterThan(15);
  }, 120_000);
});
