// pnpm spec:breaking [--base <git ref>]
// Compares the spec in the working tree with the spec at a base ref (default: the last release
// tag, else the first commit that holds the spec), classifies the change, and fails when the
// pending changesets do not bump the spec's packages enough for it.
import readChangesets from '@changesets/read';
import { missingBumps, pendingBumps, specPackageVersions } from './lib/release-guard.mjs';
import { diffSpecs } from './lib/spec-diff.mjs';
import { repoRoot, SPEC, specSinceRelease } from './lib/spec-since-release.mjs';

const root = repoRoot();
const { base, before, after } = specSinceRelease(root, process.argv, 'spec:breaking');
const { level, changes } = diffSpecs(before, after);

console.log(
  `spec:breaking: ${SPEC} since ${base}: ${level}${changes.length ? ` (${changes.length} changes)` : ''}`,
);
for (const change of changes.filter((c) => c.level === 'breaking')) {
  console.log(`  breaking: ${change.where}: ${change.message}`);
}
if (level === 'none') process.exit(0);

const versions = specPackageVersions(root);
const bumps = pendingBumps(await readChangesets(root));
const missing = missingBumps(level, versions, bumps);
if (missing.length === 0) {
  console.log('spec:breaking: the pending changesets bump every spec package enough.');
  process.exit(0);
}
console.error(`spec:breaking: this ${level} spec change needs a changeset that bumps:`);
for (const m of missing) {
  console.error(`  ${m.name} (${m.version}): at least "${m.needed}" (pending: ${m.pending})`);
}
console.error(
  'Add one: run `pnpm changeset`, pick those packages with at least those bumps, and describe the change for the people who upgrade.',
);
process.exit(1);
