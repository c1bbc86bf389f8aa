#!/usr/bin/env node
// Run from a package's folder after `tsc --emitDeclarationOnly`: writes the JavaScript of every
// entry point its package.json exports or runs as a bin (`./dist/x.js` from `./src/x.ts`), and of
// any `src/*.ts` named on the command line (a script started by path), each one ES module with the
// package's own code inlined and shared code in chunks beside them. Why: a cold start (a Lambda, a
// CLI run) pays for every module file it loads, and a client spread over twenty files loaded them
// all; bundlers still tree-shake the result.
// Published dependencies stay imports. A private workspace package (`"private": true`, such as
// @realtimekit-webhooks/rules) is inlined: it is never published, so what a package uses of it
// must travel inside that package, and none of it becomes anyone's public surface.
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { build } from 'esbuild';

const manifest = JSON.parse(readFileSync('package.json', 'utf8'));
const bins = typeof manifest.bin === 'string' ? [manifest.bin] : Object.values(manifest.bin ?? {});
const entries = [
  ...Object.values(manifest.exports ?? {}).map((target) =>
    typeof target === 'object' ? target.default : undefined,
  ),
  ...bins,
]
  .filter((file) => typeof file === 'string' && /^\.\/dist\/.+\.js$/.test(file))
  .map((file) => file.replace(/^\.\/dist\//, 'src/').replace(/\.js$/, '.ts'))
  .concat(process.argv.slice(2));
if (entries.length === 0) {
  throw new Error(`${manifest.name}: no ./dist/*.js entry in "exports" or "bin", and none named`);
}

const require = createRequire(join(process.cwd(), 'package.json'));
/** Whether each package name is a private workspace package: read once per name. */
const privacy = new Map();

/** Whether a bare `specifier` names a private workspace package (to inline) rather than a dependency. */
function isPrivatePackage(specifier) {
  const name = specifier.startsWith('@')
    ? specifier.split('/', 2).join('/')
    : specifier.split('/')[0];
  if (!privacy.has(name)) {
    let isPrivate = false;
    try {
      const manifestPath = require.resolve(`${name}/package.json`);
      isPrivate = JSON.parse(readFileSync(manifestPath, 'utf8')).private === true;
    } catch {
      // A Node built-in, or a package that does not export its package.json: a dependency.
    }
    privacy.set(name, isPrivate);
  }
  return privacy.get(name);
}

/** Leaves every bare import (a dependency, a Node built-in) as it is, except private packages. */
const dependenciesExternal = {
  name: 'dependencies-external',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^[^./]/ }, ({ path, kind }) => {
      if (kind === 'entry-point' || isPrivatePackage(path)) return undefined;
      return { path, external: true };
    });
  },
};

/** Every .js and .js.map file under `dir` (what an earlier build left). */
function scripts(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return scripts(path);
    return /\.js(\.map)?$/.test(name) ? [path] : [];
  });
}
for (const stale of scripts('dist')) rmSync(stale);

await build({
  entryPoints: entries,
  outbase: 'src',
  outdir: 'dist',
  bundle: true,
  splitting: entries.length > 1,
  // Beside the entries, so a module that finds a file next to itself (`new URL('./x',
  // import.meta.url)`) finds it whichever file esbuild put it in.
  chunkNames: '[name]-[hash]',
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  plugins: [dependenciesExternal],
  sourcemap: 'linked',
  logLevel: 'warning',
});
