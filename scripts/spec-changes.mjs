// pnpm spec:changes [--check] [--base <git ref>]
// Writes .changeset/spec-changes.md: what changed for callers in the spec since the last release
// (per operation, delivery and field, each marked when it breaks), with the bump every spec
// package needs for it. One generated changeset, rewritten on every spec change and consumed by
// the next release, so the release notes always list the spec's whole change once. With --check
// it writes nothing and fails when the file is missing or differs (CI runs that).
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { specPackageVersions } from './lib/release-guard.mjs';
import { changesChangeset } from './lib/spec-changes-note.mjs';
import { diffSpecs } from './lib/spec-diff.mjs';
import { repoRoot, specSinceRelease } from './lib/spec-since-release.mjs';

const root = repoRoot();
const path = join(root, '.changeset', 'spec-changes.md');
const { base, before, after } = specSinceRelease(root, process.argv, 'spec:changes');
const diff = diffSpecs(before, after);
const wanted =
  diff.level === 'none'
    ? undefined
    : changesChangeset(diff, before, after, base, specPackageVersions(root));
const current = existsSync(path) ? readFileSync(path, 'utf8') : undefined;

if (process.argv.includes('--check')) {
  if (current === wanted) {
    console.log(
      `spec:changes: .changeset/spec-changes.md is up to date (${diff.changes.length} changes since ${base}).`,
    );
    process.exit(0);
  }
  console.error(
    wanted === undefined
      ? 'spec:changes: .changeset/spec-changes.md lists changes the spec no longer has: run `pnpm spec:changes`.'
      : 'spec:changes: .changeset/spec-changes.md is missing or out of date with the spec: run `pnpm spec:changes` and commit it.',
  );
  process.exit(1);
}
if (wanted === undefined) {
  rmSync(path, { force: true });
  console.log(`spec:changes: no change to the spec since ${base}; nothing to note.`);
} else {
  writeFileSync(path, wanted);
  console.log(
    `spec:changes: wrote .changeset/spec-changes.md (${diff.level}, ${diff.changes.length} changes since ${base}).`,
  );
}
