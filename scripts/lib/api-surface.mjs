// The public surface as the API reports list it: every name each entry point exports, counted
// once per entry (an overloaded function is one name). What a user can import is what has to be
// kept, so the count is a budget (scripts/test/budgets.test.ts) and a line of the benchmarks.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './workspace.mjs';

const DECLARED =
  /^export (?:declare )?(?:abstract )?(?:function|const|let|class|interface|type|enum|namespace) ([\w$]+)/;
const REEXPORTED = /^export \{ (?:[\w$]+ as )?([\w$]+) \}/;

/**
 * Every entry point's exported names, from `packages/<name>/api/<entry>.api.md`.
 * @returns {{ entry: string, names: string[] }[]}
 */
export function apiSurface(workspaceRoot = root) {
  const entries = [];
  for (const pkg of readdirSync(join(workspaceRoot, 'packages'))) {
    const dir = join(workspaceRoot, 'packages', pkg, 'api');
    let files;
    try {
      files = readdirSync(dir).filter((file) => file.endsWith('.api.md'));
    } catch {
      continue;
    }
    for (const file of files) {
      const names = new Set();
      for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
        const name = DECLARED.exec(line)?.[1] ?? REEXPORTED.exec(line)?.[1];
        if (name) names.add(name);
      }
      const entry = file.replace(/\.api\.md$/, '');
      entries.push({
        entry: `@realtimekit-webhooks/${pkg}${entry === 'index' ? '' : `/${entry}`}`,
        names: [...names].sort(),
      });
    }
  }
  return entries;
}

/** How many names, summed over the entry points, and how many distinct. */
export function surfaceCount(workspaceRoot = root) {
  const entries = apiSurface(workspaceRoot);
  const all = entries.flatMap((e) => e.names);
  return { entries: entries.length, names: all.length, distinct: new Set(all).size };
}
