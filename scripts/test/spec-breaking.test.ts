// `pnpm spec:breaking` end to end, in a throwaway git repository shaped like this one.
import { execFile, execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { specPath } from '@realtimekit-webhooks/spec';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('../spec-breaking.mjs', import.meta.url));
let repo: string;

const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'pipe' });
const run = () =>
  new Promise<{ code: number; out: string }>((resolve) => {
    execFile(process.execPath, [script], { cwd: repo }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code) : 0, out: stdout + stderr });
    });
  });
function changeset(name: string, bump: string) {
  const packages = ['types', 'client', 'receiver', 'mock']
    .map((p) => `'@realtimekit-webhooks/${p}': ${bump}`)
    .join('\n');
  writeFileSync(join(repo, '.changeset', `${name}.md`), `---\n${packages}\n---\n\nA change.\n`);
}

beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), 'rtk-guard-'));
  mkdirSync(join(repo, 'spec'));
  mkdirSync(join(repo, '.changeset'));
  cpSync(specPath, join(repo, 'spec', 'realtimekit-webhooks.yaml'));
  writeFileSync(join(repo, '.changeset', 'config.json'), '{}');
  for (const name of ['types', 'client', 'receiver', 'mock']) {
    mkdirSync(join(repo, 'packages', name), { recursive: true });
    writeFileSync(
      join(repo, 'packages', name, 'package.json'),
      JSON.stringify({ name: `@realtimekit-webhooks/${name}`, version: '0.4.0' }),
    );
  }
  git('init', '-q');
  git('-c', 'user.name=test', '-c', 'user.email=test@example.invalid', 'add', '-A');
  git('-c', 'user.name=test', '-c', 'user.email=test@example.invalid', 'commit', '-qm', 'spec');
});
afterAll(() => rmSync(repo, { recursive: true, force: true }));

describe('pnpm spec:breaking', () => {
  it('passes an unchanged spec', async () => {
    expect(await run()).toMatchObject({ code: 0, out: expect.stringContaining(': none') });
  });

  it('fails when an enum value is removed without a 0.x minor changeset, saying what to add', async () => {
    const path = join(repo, 'spec', 'realtimekit-webhooks.yaml');
    writeFileSync(
      path,
      readFileSync(specPath, 'utf8').replace(
        '        - meeting.summary\n    WebhookRequest:',
        '    WebhookRequest:',
      ),
    );
    changeset('patch-only', 'patch');
    const result = await run();
    expect(result.code).toBe(1);
    expect(result.out).toContain(
      'breaking: #/components/schemas/WebhookEvent: enum value "meeting.summary" removed',
    );
    expect(result.out).toContain(
      '@realtimekit-webhooks/types (0.4.0): at least "minor" (pending: patch)',
    );
    expect(result.out).toContain('run `pnpm changeset`');
  });

  it('passes the same change once a minor changeset is pending', async () => {
    changeset('minor', 'minor');
    expect(await run()).toMatchObject({
      code: 0,
      out: expect.stringContaining('bump every spec package enough'),
    });
  });
});
