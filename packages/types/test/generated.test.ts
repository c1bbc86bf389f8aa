import { readFile } from 'node:fs/promises';
import { checkAgainstEditedSpec, checkGenerated } from '@realtimekit-webhooks/codegen/drift-check';
import { specPath } from '@realtimekit-webhooks/spec';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { WEBHOOK_EVENTS } from '../src/index.js';

const generator = new URL('../scripts/generate.mjs', import.meta.url);
const spec = parse(await readFile(specPath, 'utf8'));

describe('generated from the spec', () => {
  it('WEBHOOK_EVENTS holds the spec enum, in order', () => {
    expect(WEBHOOK_EVENTS).toEqual(spec.components.schemas.WebhookEvent.enum);
  });

  it('the committed file matches what the spec generates', async () => {
    expect(await checkGenerated(generator)).toEqual({ code: 0, output: '' });
  });

  it('a spec edit that was not regenerated fails the check, naming the fix', async () => {
    const result = await checkAgainstEditedSpec(generator, spec, (edited) => {
      edited.components.schemas.WebhookEvent.enum.push('meeting.new');
    });
    expect(result.code).toBe(1);
    expect(result.output).toMatch(
      /openapi\.gen\.ts is out of date with the spec: run `pnpm generate`/,
    );
  });
});
