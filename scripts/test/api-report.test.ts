// The API report check fails when a package's public surface differs from its checked-in report:
// run against a copy of the reports in which one export was changed.
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { root } from '../lib/workspace.mjs';

const run = promisify(execFile);
let copy: string;
/** One report per entry point of each package: as many as the copied folders hold. */
let reports = 0;

beforeAll(async () => {
  copy = await mkdtemp(join(tmpdir(), 'api-reports-'));
  for (const name of ['client', 'mock', 'receiver', 'types']) {
    await cp(join(root, 'packages', name, 'api'), join(copy, name), { recursive: true });
    reports += (await readdir(join(copy, name))).filter((file) => file.endsWith('.api.md')).length;
  }
});
afterAll(async () => {
  await rm(copy, { recursive: true, force: true });
});

async function check(): Promise<{ code: number; output: string }> {
  try {
    const { stdout } = await run(process.execPath, ['api-report.mjs', '--reports', copy], {
      cwd: join(root, 'scripts'),
    });
    return { code: 0, output: stdout };
  } catch (error) {
    const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
    return { code, output: `${stdout}${stderr}` };
  }
}

describe('pnpm api:check', () => {
  it('passes on the checked-in reports', async () => {
    const result = await check();
    expect(result.output).toMatch(
      new RegExp(`^${reports} API reports match the built packages\\.`, 'm'),
    );
    expect(result.code).toBe(0);
  }, 120_000);

  it('fails, naming the entry point, when a report lists an export the package no longer has', async () => {
    const report = join(copy, 'client', 'operations.api.md');
    const text = await readFile(report, 'utf8');
    await writeFile(
      report,
      text.replace('export function createWebhook(', 'export function addWebhook('),
    );
    const result = await check();
    expect(result.code).toBe(1);
    expect(result.output).toContain(
      '@realtimekit-webhooks/client/operations: its public surface differs from packages/client/api/operations.api.md',
    );
    expect(result.output).toContain('a removed or changed export is major');
  }, 120_000);
});
