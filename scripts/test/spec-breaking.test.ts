// `pnpm spec:breaking` end to end, in a throwaway git repository shaped like this one.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { throwawayRepo } from './throwaway-repo.js';

const script = fileURLToPath(new URL('../spec-breaking.mjs', import.meta.url));
const { repo, run: runIn, editSpec, remove } = throwawayRepo('rtk-guard-');
const run = () => runIn(script);
afterAll(remove);

function changeset(name: string, bump: string) {
  const packages = ['types', 'client', 'receiver', 'mock']
    .map((p) => `'@realtimekit-webhooks/${p}': ${bump}`)
    .join('\n');
  writeFileSync(join(repo, '.changeset', `${name}.md`), `---\n${packages}\n---\n\nA change.\n`);
}

describe('pnpm spec:breaking', () => {
  it('passes an unchanged spec', async () => {
    expect(await run()).toMatchObject({ code: 0, out: expect.stringContaining(': none') });
  });

  it('fails when an enum value is removed without a 0.x minor changeset, saying what to add', async () => {
    editSpec((text) =>
      text.replace('        - meeting.summary\n    WebhookRequest:', '    WebhookRequest:'),
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
