// pnpm spec:breaking [--base <git ref>]
// Compares the spec in the working tree with the spec at a base ref (default: the last release
// tag, else the first commit that holds the spec), classifies the change, and fails when the
// pending changesets do not bump the spec's packages enough for it.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import readChangesets from '@changesets/read';
import { parse } from 'yaml';
import { missingBumps, pendingBumps, SPEC_PACKAGES } from './lib/release-guard.mjs';
import { diffSpecs } from './lib/spec-diff.mjs';

const SPEC = 'spec/realtimekit-webhooks.yaml';
const git = (args, cwd) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();
const root = git(['rev-parse', '--show-toplevel'], process.cwd());

function defaultBase() {
  // The release script tags each published package; the types package follows the spec.
  const tag = git(
    ['tag', '--list', '@realtimekit-webhooks/types@*', '--sort=-v:refname'],
    root,
  ).split('\n')[0];
  if (tag) return tag;
  const firsts = git(['log', '--diff-filter=A', '--format=%H', '--', SPEC], root)
    .split('\n')
    .filter(Boolean);
  if (firsts.length === 0) throw new Error(`no commit holds ${SPEC} yet`);
  return firsts.at(-1);
}

const baseArg = process.argv.indexOf('--base');
const base = baseArg === -1 ? defaultBase() : process.argv[baseArg + 1];
let baseText;
try {
  baseText = git(['show', `${base}:${SPEC}`], root);
} catch {
  console.error(
    `spec:breaking: cannot read ${SPEC} at "${base}" (a shallow clone? fetch the full history)`,
  );
  process.exit(2);
}
const { level, changes } = diffSpecs(
  parse(baseText),
  parse(readFileSync(join(root, SPEC), 'utf8')),
);

console.log(
  `spec:breaking: ${SPEC} since ${base}: ${level}${changes.length ? ` (${changes.length} changes)` : ''}`,
);
for (const change of changes.filter((c) => c.level === 'breaking')) {
  console.log(`  breaking: ${change.where}: ${change.message}`);
}
if (level === 'none') process.exit(0);

const versions = Object.fromEntries(
  SPEC_PACKAGES.map((name) => {
    const dir = join(root, 'packages', name.split('/')[1]);
    return [name, JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version];
  }),
);
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
