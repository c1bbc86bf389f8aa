// The workspace's packages, read from disk (pnpm-workspace.yaml): used by the published-shape,
// README, budget and import-boundary checks.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The folders of a workspace's packages (`dir` and `dir/*` entries of its pnpm-workspace.yaml).
 * @returns {string[]}
 */
export function workspacePackageDirs(workspaceRoot = root) {
  const yaml = readFileSync(join(workspaceRoot, 'pnpm-workspace.yaml'), 'utf8');
  /** @type {{ packages?: string[] }} */
  const { packages = [] } = parse(yaml);
  return packages.flatMap((pattern) => {
    if (!pattern.endsWith('/*')) return [resolve(workspaceRoot, pattern)];
    const parent = resolve(workspaceRoot, pattern.slice(0, -2));
    return readdirSync(parent)
      .map((name) => join(parent, name))
      .filter((dir) => existsSync(join(dir, 'package.json')));
  });
}

/**
 * Every package of the workspace with its directory and manifest.
 * @returns {{ dir: string, manifest: Record<string, any> }[]}
 */
export function workspacePackages(workspaceRoot = root) {
  return workspacePackageDirs(workspaceRoot).map((dir) => ({
    dir,
    manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')),
  }));
}

/** The packages that are published (not private). */
export function publicPackages() {
  return workspacePackages().filter((p) => !p.manifest.private);
}
