// The mock (and Prism, about 190 packages) is an optional peer: installed only by those who use
// --mock, `mock` or `trigger`. It is loaded on first use, and its absence is a usage error.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UsageError } from './usage-error.js';

type MockModule = typeof import('@realtimekit-webhooks/mock');

const MOCK_PACKAGE = '@realtimekit-webhooks/mock';

const notFound = (error: unknown) => {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
};

/**
 * The package's main module as installed in `from` or a folder above it, or undefined. A CLI
 * installed globally resolves packages next to itself only; the mock a project installed as a
 * dev dependency is found here.
 */
function inProject(specifier: string, from: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const root = join(dir, 'node_modules', specifier);
    if (existsSync(join(root, 'package.json'))) {
      const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
        exports?: { '.'?: { default?: string } | string };
      };
      const main = pkg.exports?.['.'];
      const entry = typeof main === 'string' ? main : main?.default;
      return entry ? pathToFileURL(join(root, entry)).href : undefined;
    }
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * The mock package (next to the CLI, else in the project at `projectDir`), or a UsageError
 * (exit 2) that names it and how to install it.
 */
export async function loadMock(
  feature: string,
  specifier = MOCK_PACKAGE,
  projectDir = process.cwd(),
): Promise<MockModule> {
  try {
    return (await import(specifier)) as MockModule;
  } catch (error) {
    if (!notFound(error)) throw error;
  }
  const found = inProject(specifier, projectDir);
  if (found) return (await import(found)) as MockModule;
  throw new UsageError(
    `${feature} needs the package ${specifier}, found neither next to this CLI nor in ${projectDir} or a folder above it: npm install --save-dev ${specifier} in your project (run the CLI from that project), or npm install --global ${specifier} next to a global CLI`,
  );
}
