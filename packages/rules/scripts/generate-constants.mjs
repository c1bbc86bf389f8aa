// Generates src/constants.gen.ts: the runtime values the packages take from the spec besides its
// schemas (the API's base URL, where the signing key is published, the headers of a delivery).
// `--check` verifies the committed file instead of writing it; `--spec <path>` generates from
// another file.
import { fileURLToPath } from 'node:url';
import {
  generatedHeader,
  readSpec,
  writeGenerated,
} from '@realtimekit-webhooks/codegen/generated-file';
import { specPath as defaultSpecPath } from '@realtimekit-webhooks/spec';

const outPath = fileURLToPath(new URL('../src/constants.gen.ts', import.meta.url));
const { spec } = await readSpec(defaultSpecPath);

function signingKeyUrl() {
  const [path, item] = Object.entries(spec.paths).find(
    ([, pathItem]) => pathItem.get?.operationId === 'getWebhookSigningKey',
  );
  return `${item.servers[0].url}${path}`;
}

function deliveryHeaders() {
  const { RtkSignature, RtkUuid, RtkWebhookId } = spec.components.parameters;
  return { signature: RtkSignature.name, uuid: RtkUuid.name, webhookId: RtkWebhookId.name };
}

const content = [
  generatedHeader(
    'packages/rules/scripts/generate-constants.mjs',
    'spec/realtimekit-webhooks.yaml',
  ),
  "/** The API's base URL, from the spec's first server. */",
  `export const API_BASE_URL = ${JSON.stringify(spec.servers[0].url)};`,
  '/** Where the public key that signs deliveries is published (operation getWebhookSigningKey). */',
  `export const WEBHOOK_SIGNING_KEY_URL = ${JSON.stringify(signingKeyUrl())};`,
  '/** The headers every delivery carries. */',
  `export const DELIVERY_HEADERS = ${JSON.stringify(deliveryHeaders())} as const;`,
  '',
].join('\n');
await writeGenerated(outPath, content);
