// `pnpm lint:imports`: fails when any file imports from outside its package except through a
// declared workspace dependency (see lib/import-boundaries.mjs for the rule).
import { findBoundaryViolations } from './lib/import-boundaries.mjs';
import { root } from './lib/workspace.mjs';

const violations = findBoundaryViolations(root);
for (const { file, line, problem } of violations) console.error(`${file}:${line}: ${problem}`);
if (violations.length > 0) {
  console.error(`${violations.length} import(s) cross a package boundary.`);
  process.exit(1);
}
console.log('every import stays inside its package or goes through a declared dependency');
