// Which packages a package pulls in at run time, as installed in this workspace: each dependency
// looked up from the real directory of the package that depends on it (Node's node_modules walk,
// which pnpm's layout answers), so every version in the tree is found, not only the hoisted one.
// package.json files are read directly: many packages' `exports` do not expose them.
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** The real directory of package `name` as Node would find it from `fromDir`, if installed. */
function findPackageDir(name, fromDir) {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidates = [join(dir, 'node_modules', name)];
    if (basename(dir) === 'node_modules') candidates.push(join(dir, name));
    for (const candidate of candidates) {
      if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
    }
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * Every package `name` (looked up from `fromDir`) needs to run: its dependencies and the optional
 * ones that are installed, recursively. Keys are `name@version`; values `{ name, version, dir }`.
 */
export function productionClosure(name, fromDir, found = new Map()) {
  const dir = findPackageDir(name, fromDir);
  if (dir === undefined) return found; // an optional dependency not installed on this platform
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const key = `${manifest.name}@${manifest.version}`;
  if (found.has(key)) return found;
  found.set(key, { name: manifest.name, version: manifest.version, dir });
  const needed = { ...manifest.optionalDependencies, ...manifest.dependencies };
  for (const dependency of Object.keys(needed)) productionClosure(dependency, dir, found);
  return found;
}
