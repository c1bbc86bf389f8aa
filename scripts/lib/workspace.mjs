// The workspace's packages, read from disk: used by the published-shape and budget checks.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));

/** Every package under packages/ with its directory and manifest. */
export function workspacePackages() {
  const dir = join(root, 'packages');
  return readdirSync(dir).map((name) => {
    const manifest = JSON.parse(readFileSync(join(dir, name, 'package.json'), 'utf8'));
    return { dir: join(dir, name), manifest };
  });
}

/** The packages that are published (not private). */
export function publicPackages() {
  return workspacePackages().filter((p) => !p.manifest.private);
}
