// Each package README's example is the smallest working use of the package: it must type-check,
// strictly, against the built package as a user installs it.
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { publicPackages, root } from '../lib/workspace.mjs';

const run = promisify(execFile);
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
// Inside this package, so the examples resolve the workspace packages it depends on.
const scratch = join(root, 'scripts', '.readme-examples');
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const examples = publicPackages().flatMap(({ dir, manifest }) => {
  const readme = readFileSync(join(dir, 'README.md'), 'utf8');
  return [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map(
    (match, index) => [`${manifest.name} example ${index + 1}`, match[1] ?? ''] as const,
  );
});

describe('package README examples', () => {
  it('every TypeScript package shows one', () => {
    const shown = new Set(examples.map(([name]) => name.split(' ')[0]));
    const typescriptPackages = publicPackages()
      .filter(({ manifest }) => manifest.exports?.['.'])
      .map(({ manifest }) => manifest.name);
    expect([...shown].sort()).toEqual(typescriptPackages.sort());
  });

  it('each type-checks strictly against the built packages', async () => {
    rmSync(scratch, { recursive: true, force: true });
    mkdirSync(scratch, { recursive: true });
    const files = examples.map(([name, code], index) => {
      const file = `example-${index}.ts`;
      writeFileSync(join(scratch, file), `// ${name}\n${code}\nexport {};\n`);
      return file;
    });
    writeFileSync(
      join(scratch, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          target: 'ES2022',
          lib: ['ES2022', 'DOM'],
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
    expect('stdout' in result ? result.stdout : '').toBe('');
  });
});
