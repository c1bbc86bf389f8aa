// Generates src/openapi.gen.ts from the spec: openapi-typescript's types, plus the event names as a
// runtime tuple. `--check` verifies the committed file instead of writing it.
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  generatedHeader,
  readSpec,
  writeGenerated,
} from '@realtimekit-webhooks/codegen/generated-file';
import { specPath } from '@realtimekit-webhooks/spec';
import openapiTS, { astToString } from 'openapi-typescript';

// `--spec <path>` generates from another file (the drift test uses it); the default is the spec.
const { path: specFile, spec } = await readSpec(specPath);
const specUrl = pathToFileURL(specFile);
const outPath = fileURLToPath(new URL('../src/openapi.gen.ts', import.meta.url));

const ast = await openapiTS(specUrl, {
  // Named exports (`Webhook`, `WebhookEvent`, ...) for every component schema.
  rootTypes: true,
  rootTypesNoSchemaPrefix: true,
  // A `default` in a request schema means "optional, the server fills it in", not "always present".
  defaultNonNullable: false,
  silent: true,
});

// The one runtime value users need from the spec. (openapi-typescript's --enum-values emits a
// ReadonlyArray; users want the literal tuple.) The rest (base URL, signing key URL, headers) is
// generated into the private rules package with the schemas (packages/rules/scripts).
const runtimeValues = [
  '/** Every event name a webhook can subscribe to, in the order the API documents them. */',
  `export const WEBHOOK_EVENTS = ${JSON.stringify(spec.components.schemas.WebhookEvent.enum)} as const satisfies readonly WebhookEvent[];`,
].join('\n');

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

/** The schema name a `$ref` points at, or undefined. */
const refName = (node) => node?.$ref?.split('/').at(-1);

/**
 * The schemas users write by name: what an operation sends (request bodies), what a success
 * answer holds (the `data` of its envelope, or its items) and what a delivery carries. Every other
 * schema (the envelopes, error bodies, a payload's parts) stays reachable as
 * `components['schemas']['Name']` without a name of its own in the package's surface.
 */
function namedSchemas() {
  const named = new Set();
  const resolve = (node, group) => (node?.$ref ? spec.components[group][refName(node)] : node);
  for (const item of Object.values(spec.paths)) {
    for (const operation of Object.values(item)) {
      if (!operation?.responses) continue;
      const body = resolve(operation.requestBody, 'requestBodies');
      const sent = refName(body?.content?.['application/json']?.schema);
      if (sent) named.add(sent);
      for (const [status, answer] of Object.entries(operation.responses)) {
        if (!status.startsWith('2')) continue;
        const schema = resolve(
          resolve(answer, 'responses')?.content?.['application/json']?.schema,
          'schemas',
        );
        const data = schema?.properties?.data;
        const held = refName(data) ?? refName(data?.items);
        if (held) named.add(held);
      }
    }
  }
  for (const item of Object.values(spec.webhooks)) {
    const carried = refName(item.post?.requestBody?.content?.['application/json']?.schema);
    if (carried) named.add(carried);
  }
  return named;
}

/**
 * openapi-typescript names every root: responses and parameters (`ResponseWebhookOk`,
 * `ParameterAppId`), an empty `$defs`, and every schema. Only the schemas users write by name
 * (`namedSchemas`) keep theirs; the operations carry the rest.
 */
function withoutUnusedRoots(code) {
  const named = namedSchemas();
  return code
    .replace(/^export type \w+ =\s*components\['(?:responses|parameters)'\]\['\w+'\];\n/gm, '')
    .replace(/^export type \$defs = Record<string, never>;\n/m, '')
    .replace(
      /^export type (\w+) =\s*components\['schemas'\]\['(\w+)'\];\n/gm,
      (line, _alias, name) => (named.has(name) ? line : ''),
    );
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
await writeGenerated(outPath, content);
