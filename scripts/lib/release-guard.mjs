// Which version bump a spec change needs, and whether the pending changesets give it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The public packages whose surface comes from the spec. */
export const SPEC_PACKAGES = [
  '@realtimekit-webhooks/types',
  '@realtimekit-webhooks/client',
  '@realtimekit-webhooks/receiver',
  '@realtimekit-webhooks/mock',
];

/** The version of each spec package in the working tree (`packages/<name>/package.json`). */
export function specPackageVersions(root) {
  return Object.fromEntries(
    SPEC_PACKAGES.map((name) => {
      const manifest = join(root, 'packages', name.split('/')[1], 'package.json');
      return [name, JSON.parse(readFileSync(manifest, 'utf8')).version];
    }),
  );
}

const RANK = { none: 0, patch: 1, minor: 2, major: 3 };

/** The smallest bump that semver allows for a change of `level` from `version` (0.x shifts down). */
export function requiredBump(level, version) {
  const zero = version.startsWith('0.');
  if (level === 'breaking') return zero ? 'minor' : 'major';
  if (level === 'additive') return zero ? 'patch' : 'minor';
  return 'none';
}

/** The highest bump per package over every pending changeset (as @changesets/read returns them). */
export function pendingBumps(changesets) {
  const bumps = {};
  for (const changeset of changesets) {
    for (const { name, type } of changeset.releases) {
      if (RANK[type] > RANK[bumps[name] ?? 'none']) bumps[name] = type;
    }
  }
  return bumps;
}

/** One message per package whose pending bump is smaller than the change needs. */
export function missingBumps(level, versions, bumps, packages = SPEC_PACKAGES) {
  const problems = [];
  for (const name of packages) {
    const version = versions[name];
    if (version === undefined) continue;
    const needed = requiredBump(level, version);
    const pending = bumps[name] ?? 'none';
    if (RANK[pending] < RANK[needed]) problems.push({ name, version, needed, pending });
  }
  return problems;
}
