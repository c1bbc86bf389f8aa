// The spec as it was at the last release, for the scripts that compare the working tree with it
// (spec:breaking, spec:changes): the last `@realtimekit-webhooks/types@x.y.z` tag (the release
// script tags each published package; the types package follows the spec), else the first commit
// that holds the spec, or a base named with --base.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export const SPEC = 'spec/realtimekit-webhooks.yaml';

const git = (args, cwd) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();

/** The repository this script runs in. */
export const repoRoot = () => git(['rev-parse', '--show-toplevel'], process.cwd());

function defaultBase(root) {
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

/**
 * `{ base, before, after }`: the ref compared with (`--base <ref>` in `argv`, else the default),
 * the spec there and the spec in the working tree, parsed. Exits 2, saying why, when the spec
 * cannot be read at the base (a shallow clone).
 */
export function specSinceRelease(root, argv, command) {
  const baseArg = argv.indexOf('--base');
  const base = baseArg === -1 ? defaultBase(root) : argv[baseArg + 1];
  let baseText;
  try {
    baseText = git(['show', `${base}:${SPEC}`], root);
  } catch {
    console.error(
      `${command}: cannot read ${SPEC} at "${base}" (a shallow clone? fetch the full history)`,
    );
    process.exit(2);
  }
  return { base, before: parse(baseText), after: parse(readFileSync(join(root, SPEC), 'utf8')) };
}
