// Prints one line with the totals of every vitest JSON report in the workspace, so a CI log shows
// at a glance how many tests ran ("0 passed" means nothing was tested).
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

const roots = ['packages', 'examples'];
let passed = 0;
let failed = 0;
let skipped = 0;
for (const root of roots) {
  const dirs = await readdir(root, { withFileTypes: true }).catch(() => []);
  for (const dir of dirs.filter((d) => d.isDirectory())) {
    const report = await readFile(join(root, dir.name, 'test-results.json'), 'utf8').catch(
      () => null,
    );
    if (report === null) continue;
    const json = JSON.parse(report);
    passed += json.numPassedTests;
    failed += json.numFailedTests;
    skipped += json.numPendingTests + json.numTodoTests;
  }
}
console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
