import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { specPath } from '@realtimekit-webhooks/spec';
import { WEBHOOK_EVENTS } from '@realtimekit-webhooks/types';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import {
  API_BASE_URL,
  DELIVERY_HEADERS,
  deliveryExamples,
  WEBHOOK_SIGNING_KEY_URL,
} from '../src/index.js';

const run = promisify(execFile);
const generator = fileURLToPath(new URL('../scripts/generate.mjs', import.meta.url));
const specText = await readFile(specPath, 'utf8');
const spec = parse(specText);
const scratch = await mkdtemp(join(tmpdir(), 'rtk-rules-'));

afterAll(() => rm(scratch, { recursive: true, force: true }));

describe('generated from the spec', () => {
  it("API_BASE_URL is the spec's first server", () => {
    expect(API_BASE_URL).toBe(spec.servers[0].url);
  });

  it('the signing key URL and delivery headers come from the spec', () => {
    expect(WEBHOOK_SIGNING_KEY_URL).toBe(
      `${spec.paths['/.well-known/webhooks.json'].servers[0].url}/.well-known/webhooks.json`,
    );
    expect(DELIVERY_HEADERS).toEqual({
      signature: 'rtk-signature',
      uuid: 'rtk-uuid',
      webhookId: 'rtk-webhook-id',
    });
  });

  it("deliveryExamples holds each event's example body from the spec's webhooks section", () => {
    const fromSpec = Object.fromEntries(
      Object.entries(
        spec.webhooks as Record<
          string,
          {
            post: {
              requestBody: {
                content: { 'application/json': { examples: { delivery: { $ref: string } } } };
              };
            };
          }
        >,
      ).map(([event, item]) => {
        const ref: string =
          item.post.requestBody.content['application/json'].examples.delivery.$ref;
        return [event, spec.components.examples[ref.split('/').at(-1) as string].value];
      }),
    );
    expect(deliveryExamples).toEqual(fromSpec);
    expect(Object.keys(deliveryExamples)).toEqual([...WEBHOOK_EVENTS]);
  });

  it('the committed file matches what the spec generates', async () => {
    const { stdout, stderr } = await run(process.execPath, [generator, '--check']);
    expect(stdout + stderr).toBe('');
  });

  it('a spec edit that was not regenerated fails the check, naming the fix', async () => {
    const edited = join(scratch, 'edited.yaml');
    const changed = structuredClone(spec);
    changed.servers[0].url = 'https://api.example.com/client/v4';
    await writeFile(edited, stringify(changed));
    const failure = await run(process.execPath, [generator, '--check', '--spec', edited]).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure).toMatchObject({ code: 1 });
    expect((failure as { stderr: string }).stderr).toMatch(
      /constants\.gen\.ts is out of date with the spec: run `pnpm generate`/,
    );
  });
});
