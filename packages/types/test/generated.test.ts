import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { specPath } from '@realtimekit-webhooks/spec';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { WEBHOOK_EVENTS } from '../src/index.js';

const run = promisify(execFile);
const generator = fileURLToPath(new URL('../scripts/generate.mjs', import.meta.url));
const specText = await readFile(specPath, 'utf8');
const spec = parse(specText);
const scratch = await mkdtemp(join(tmpdir(), 'rtk-types-'));

afterAll(() => rm(scratch, { recursive: true, force: true }));

describe('generated from the spec', () => {
  it('WEBHOOK_EVENTS holds the spec enum, in order', () => {
    expect(WEBHOOK_EVENTS).toEqual(spec.components.schemas.WebhookEvent.enum);
  });

  it('the committed file matches what the spec generates', async () => {
    const { stdout, stderr } = await run(process.execPath, [generator, '--check']);
    expect(stdout + stderr).toBe('');
  });

  it('a spec edit that was not regenerated fails the check, naming the fix', async () => {
    const edited = join(scratch, 'edited.yaml');
    const changed = structuredClone(spec);
    changed.components.schemas.WebhookEvent.enum.push('meeting.new');
    await writeFile(edited, stringify(changed));
    const failure = await run(process.execPath, [generator, '--check', '--spec', edited]).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure).toMatchObject({ code: 1 });
    expect((failure as { stderr: string }).stderr).toMatch(
      /openapi\.gen\.ts is out of date with the spec: run `pnpm generate`/,
    );
  });
});
