// What a published package may not carry: an import of a private workspace package (such as
// @realtimekit-webhooks/rules). Those are inlined when a package is built (tools/bundle); one left
// as an import would fail to resolve on a user's machine, in the JavaScript at run time or in the
// declarations at type-check time. Only the declarations a user can reach count: the entry points'
// files and what they import, relatively, in turn.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const SPECIFIER = /(?:from\s*|import\s*\(\s*|import\s+)['"]([^'"]+)['"]/g;

/** Every bare or relative specifier `text` imports or re-exports. */
function specifiers(text) {
  return [...text.matchAll(SPECIFIER)].map((match) => match[1]);
}

/** Every .js file under `dir` (all of a built package's JavaScript can be loaded). */
function scripts(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return scripts(path);
    return name.endsWith('.js') ? [path] : [];
  });
}

/** The declaration files reachable from the package's exported `types`. */
function reachableDeclarations(dir, manifest) {
  const pending = Object.values(manifest.exports ?? {})
    .map((target) => (typeof target === 'object' ? target.types : undefined))
    .filter((file) => typeof file === 'string')
    .map((file) => resolve(dir, file));
  const seen = new Set();
  while (pending.length > 0) {
    const file = pending.pop();
    if (seen.has(file) || !existsSync(file)) continue;
    seen.add(file);
    for (const specifier of specifiers(readFileSync(file, 'utf8'))) {
      if (!specifier.startsWith('.')) continue;
      pending.push(resolve(dirname(file), specifier.replace(/\.js$/, '.d.ts')));
    }
  }
  return [...seen];
}

/**
 * The imports of `privateNames` a built package at `dir` would ship, as `file: specifier`, and its
 * dependencies on them.
 * @param {string} dir
 * @param {Record<string, any>} manifest
 * @param {Set<string>} privateNames
 * @returns {string[]}
 */
export function privateImports(dir, manifest, privateNames) {
  const named = (specifier) =>
    privateNames.has(
      specifier
        .split('/')
        .slice(0, specifier.startsWith('@') ? 2 : 1)
        .join('/'),
    );
  const found = [];
  for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
    for (const name of Object.keys(manifest[field] ?? {})) {
      if (privateNames.has(name)) found.push(`package.json ${field}: ${name}`);
    }
  }
  const files = [...scripts(join(dir, 'dist')), ...reachableDeclarations(dir, manifest)];
  for (const file of files) {
    for (const specifier of specifiers(readFileSync(file, 'utf8'))) {
      if (named(specifier)) found.push(`${relative(dir, file)}: ${specifier}`);
    }
  }
  return found;
}
