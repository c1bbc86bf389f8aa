#!/usr/bin/env node
// Run from a package's folder after `tsc --emitDeclarationOnly`: writes the JavaScript of every
// entry point its package.json exports (`./dist/x.js` from `./src/x.ts`), each one ES module with
// the package's own code inlined and shared code in chunks. Dependencies stay imports. Why: a
// cold start (a Lambda, a CLI run) pays for every module file it loads, and a client spread over
// twenty files loaded them all; bundlers still tree-shake the result.
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const manifest = JSON.parse(readFileSync('package.json', 'utf8'));
const entries = Object.values(manifest.exports ?? {})
  .map((target) => (typeof target === 'object' ? target.default : undefined))
  .filter((file) => typeof file === 'string' && /^\.\/dist\/.+\.js$/.test(file))
  .map((file) => file.replace(/^\.\/dist\//, 'src/').replace(/\.js$/, '.ts'));
if (entries.length === 0) throw new Error(`${manifest.name}: no ./dist/*.js entry in "exports"`);

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
  chunkNames: 'chunks/[name]-[hash]',
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  // Dependencies (another package of this repo too) are loaded from where they are installed.
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
});
