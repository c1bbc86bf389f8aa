import { readFile } from 'node:fs/promises';
import { checkAgainstEditedSpec, checkGenerated } from '@realtimekit-webhooks/codegen/drift-check';
import { specPath } from '@realtimekit-webhooks/spec';
import { WEBHOOK_EVENTS } from '@realtimekit-webhooks/types';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  API_BASE_URL,
  DELIVERY_HEADERS,
  deliveryExamples,
  WEBHOOK_SIGNING_KEY_URL,
} from '../src/index.js';

const generator = new URL('../scripts/generate.mjs', import.meta.url);
const spec = parse(await readFile(specPath, 'utf8'));

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

  it('the committed files match what the spec generates', async () => {
    expect(await checkGenerated(generator)).toEqual({ code: 0, output: '' });
  });

  it('a spec edit that was not regenerated fails the check, naming each stale file and the fix', async () => {
    const result = await checkAgainstEditedSpec(generator, spec, (edited) => {
      edited.servers[0].url = 'https://api.example.com/client/v4'; // constants
      edited.components.schemas.WebhookEvent.enum.push('meeting.new'); // schemas
      const [first] = Object.values(edited.webhooks) as {
        post: { requestBody: { content: { 'application/json': { examples: object } } } };
      }[];
      const [example] = Object.values(
        first?.post.requestBody.content['application/json'].examples ?? {},
      ) as { $ref: string }[];
      edited.components.examples[example?.$ref.split('/').at(-1) as string].value.reason = 'EDITED'; // examples
    });
    expect(result.code).toBe(1);
    for (const file of ['constants', 'schemas', 'examples']) {
      expect(result.output).toMatch(
        new RegExp(`${file}\\.gen\\.ts is out of date with the spec: run \`pnpm generate\``),
      );
    }
  });
});
