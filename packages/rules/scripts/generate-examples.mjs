// Generates src/examples.gen.ts: the spec's example body of each delivery event, as data, so the
// testing kit can build deliveries without reading the spec at run time (no file system: it runs
// in Workers too). `--check` verifies the committed file instead of writing it; `--spec <path>`
// generates from another file.
import { fileURLToPath } from 'node:url';
import {
  generatedHeader,
  readSpec,
  writeGenerated,
} from '@realtimekit-webhooks/codegen/generated-file';
import { specPath as defaultSpecPath } from '@realtimekit-webhooks/spec';

const outPath = fileURLToPath(new URL('../src/examples.gen.ts', import.meta.url));
const { spec } = await readSpec(defaultSpecPath);

const examples = {};
for (const [event, item] of Object.entries(spec.webhooks)) {
  const named = item.post?.requestBody?.content?.['application/json']?.examples ?? {};
  const example = Object.values(named)[0];
  if (!example) throw new Error(`webhooks ${event}: the spec gives no example body`);
  const value = example.$ref
    ? example.$ref
        .replace(/^#\//, '')
        .split('/')
        .reduce((node, part) => node?.[part], spec)?.value
    : example.value;
  if (value === undefined) throw new Error(`webhooks ${event}: ${example.$ref} has no value`);
  examples[event] = value;
}

const lines = [
  generatedHeader('packages/rules/scripts/generate-examples.mjs', 'spec/realtimekit-webhooks.yaml'),
  "import type { WebhookEvent, WebhookPayloadFor } from '@realtimekit-webhooks/types';",
  '',
  "/** The spec's example body of each delivery event. */",
  `export const deliveryExamples: { readonly [E in WebhookEvent]: WebhookPayloadFor<E> } = ${JSON.stringify(examples)};`,
  '',
];
await writeGenerated(outPath, lines.join('\n'));
