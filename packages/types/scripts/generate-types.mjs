// Generates src/openapi.gen.ts from the spec: openapi-typescript's types, plus the runtime values
// the packages need from it (event names, base URL, signing key URL, delivery headers). `--check`
// verifies the committed file instead of writing it.
import { readFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  finishGeneration,
  generatedHeader,
  isCheckMode,
  specPathFromArgs,
  syncGeneratedFile,
} from '@realtimekit-webhooks/codegen/generated-file';
import { specPath } from '@realtimekit-webhooks/spec';
import openapiTS, { astToString } from 'openapi-typescript';
import { parse } from 'yaml';

// `--spec <path>` generates from another file (the drift test uses it); the default is the spec.
const specUrl = pathToFileURL(specPathFromArgs(specPath));
const outPath = fileURLToPath(new URL('../src/openapi.gen.ts', import.meta.url));

const ast = await openapiTS(specUrl, {
  // Named exports (`Webhook`, `WebhookEvent`, ...) for every component schema.
  rootTypes: true,
  rootTypesNoSchemaPrefix: true,
  // A `default` in a request schema means "optional, the server fills it in", not "always present".
  defaultNonNullable: false,
  silent: true,
});

// Runtime values the packages need from the spec. (openapi-typescript's --enum-values emits a
// ReadonlyArray; users want the literal tuple.)
const spec = parse(await readFile(specUrl, 'utf8'));
const runtimeValues = [
  '/** Every event name a webhook can subscribe to, in the order the API documents them. */',
  `export const WEBHOOK_EVENTS = ${JSON.stringify(spec.components.schemas.WebhookEvent.enum)} as const satisfies readonly WebhookEvent[];`,
  "/** The API's base URL, from the spec's first server. */",
  `export const API_BASE_URL = ${JSON.stringify(spec.servers[0].url)};`,
  '/** Where the public key that signs deliveries is published (operation getWebhookSigningKey). */',
  `export const WEBHOOK_SIGNING_KEY_URL = ${JSON.stringify(signingKeyUrl())};`,
  '/** The headers every delivery carries. */',
  `export const DELIVERY_HEADERS = ${JSON.stringify(deliveryHeaders())} as const;`,
].join('\n');

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

// openapi-typescript documents members, not its own top-level names: each gets a comment here,
// from the spec's description where it has one, so every export of the package is documented.
const ROOT_DOCS = {
  paths: "Every operation of the API by path and method (openapi-fetch's `paths`).",
  webhooks: "Every delivery RealtimeKit sends, by event name (the spec's `webhooks:` section).",
  components: "The spec's schemas, responses and parameters.",
  operations: 'Every operation of the API by operationId.',
};

/** One line from a spec description: its first sentence, without Markdown line breaks. */
function summary(description) {
  const flat = String(description).replace(/\s+/g, ' ').trim();
  const sentence = /^(.*?[.!?])(?:\s|$)/.exec(flat)?.[1] ?? flat;
  return sentence.replaceAll('*/', '*\\/');
}

/**
 * openapi-typescript's root names for responses and parameters (`ResponseWebhookOk`,
 * `ParameterAppId`) and its empty `$defs`: names nobody writes (the operations carry them), so
 * they are left out of the package's surface. The schemas' names stay.
 */
function withoutUnusedRoots(code) {
  return code
    .replace(/^export type \w+ =\s*components\['(?:responses|parameters)'\]\['\w+'\];\n/gm, '')
    .replace(/^export type \$defs = Record<string, never>;\n/m, '');
}

function documented(code) {
  return withoutUnusedRoots(code)
    .replace(/^export (?:interface|type) (\$?\w+)\b/gm, (line, name) =>
      ROOT_DOCS[name] ? `/** ${ROOT_DOCS[name]} */\n${line}` : line,
    )
    .replace(
      /^export type (\w+) =\s*components\['(\w+)'\]\['(\w+)'\];/gm,
      (line, _alias, group, name) => {
        const node = spec.components[group]?.[name] ?? {};
        const where = `components.${group}.${name}`;
        const text = node.description
          ? `${summary(node.description)} (${where})`
          : `The spec's ${where}.`;
        return `/** ${text} */\n${line}`;
      },
    );
}

const content = [
  generatedHeader('openapi-typescript', 'spec/realtimekit-webhooks.yaml'),
  documented(astToString(ast)),
  runtimeValues,
  '',
].join('\n');
await finishGeneration([syncGeneratedFile(outPath, content, { check: isCheckMode() })]);
