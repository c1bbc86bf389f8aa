// `pnpm spec:changes`: the generated changeset that tells callers what changed in the spec since
// the last release, end to end in a throwaway repository shaped like this one.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { throwawayRepo } from './throwaway-repo.js';

const script = fileURLToPath(new URL('../spec-changes.mjs', import.meta.url));
const { repo, run, editSpec, remove } = throwawayRepo('rtk-changes-');
afterAll(remove);
const note = join(repo, '.changeset', 'spec-changes.md');

describe('pnpm spec:changes', () => {
  it('writes nothing for an unchanged spec, and --check passes without a note', async () => {
    expect(await run(script)).toMatchObject({
      code: 0,
      out: expect.stringContaining('nothing to note'),
    });
    expect(existsSync(note)).toBe(false);
    expect(await run(script, '--check')).toMatchObject({ code: 0 });
  });

  it('notes an added payload field under its delivery, as additive, with patch bumps at 0.x', async () => {
    editSpec((text) =>
      text.replace(
        '        summaryDownloadUrl:\n          type: string\n',
        '        summaryDownloadUrl:\n          type: string\n        summaryLanguage:\n          type: string\n',
      ),
    );
    expect(await run(script, '--check')).toMatchObject({
      code: 1,
      out: expect.stringContaining('missing or out of date with the spec: run `pnpm spec:changes`'),
    });
    expect((await run(script)).code).toBe(0);
    const written = readFileSync(note, 'utf8');
    expect(written).toMatch(/^---\n'@realtimekit-webhooks\/types': patch\n/);
    expect(written).toContain("'@realtimekit-webhooks/receiver': patch");
    expect(written).toContain('Additive: nothing a caller wrote against the last release breaks.');
    expect(written).toContain(
      '- delivery `meeting.summary`\n  - payload: field "summaryLanguage" added',
    );
    expect(await run(script, '--check')).toMatchObject({ code: 0 });
  });

  it('marks a removed event as breaking, under every operation it reaches, with minor bumps at 0.x', async () => {
    editSpec((text) =>
      text.replace('        - meeting.summary\n    WebhookRequest:', '    WebhookRequest:'),
    );
    expect((await run(script, '--check')).code).toBe(1);
    await run(script);
    const written = readFileSync(note, 'utf8');
    expect(written).toContain("'@realtimekit-webhooks/client': minor");
    expect(written).toContain('**Breaking**');
    expect(written).toMatch(
      /- `getWebhook` \(GET \/accounts\/\{account_id\}\/realtime\/kit\/\{app_id\}\/webhooks\/\{webhook_id\}\)\n( {2}- .*\n)* {2}- response 200 `data\.events\[\]`: enum value "meeting\.summary" removed \*\*\(breaking\)\*\*/,
    );
    expect(written).toContain(
      '- type `WebhookEvent`\n  - enum value "meeting.summary" removed **(breaking)**',
    );
  });

  it('takes the note away once the spec is back as released, and --check says so until then', async () => {
    editSpec((text) => text);
    expect(await run(script, '--check')).toMatchObject({
      code: 1,
      out: expect.stringContaining('lists changes the spec no longer has'),
    });
    await run(script);
    expect(existsSync(note)).toBe(false);
  });
});
