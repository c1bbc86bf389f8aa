// Prints one line with the totals of every test report in the workspace (vitest's JSON, and the
// runtime matrix's), so a CI log shows at a glance how many tests ran ("0 passed": none did).
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

const reports = [
  'scripts/test-results.json',
  'scripts/runtime-matrix/test-results.json',
  'site/test-results.json',
];
for (const root of ['packages', 'examples', 'tools']) {
  const dirs = await readdir(root, { withFileTypes: true }).catch(() => []);
  for (const dir of dirs.filter((d) => d.isDirectory())) {
    reports.push(join(root, dir.name, 'test-results.json'));
  }
}
let passed = 0;
let failed = 0;
let skipped = 0;
for (const path of reports) {
  const report = await readFile(path, 'utf8').catch(() => null);
  if (report === null) continue;
  const json = JSON.parse(report);
  passed += json.numPassedTests;
  failed += json.numFailedTests;
  skipped += json.numPendingTests + json.numTodoTests;
}
console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
