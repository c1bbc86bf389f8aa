// Generates src/schemas.gen.ts: each operation's input (path parameters, body) and the delivery
// payload schemas, in the form src/schema-check.ts checks, and the format regexes of ajv-formats (the
// library Prism validates with), so the client accepts exactly what the mock accepts and the
// receiver flags exactly the payloads the spec does not describe. `--check` verifies the committed
// file instead of writing it; `--spec <path>` generates from another file.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import {
  generatedHeader,
  readSpec,
  writeGenerated,
} from '@realtimekit-webhooks/codegen/generated-file';
import { specPath as defaultSpecPath } from '@realtimekit-webhooks/spec';

const outPath = fileURLToPath(new URL('../src/schemas.gen.ts', import.meta.url));
const { spec } = await readSpec(defaultSpecPath);

// Keywords src/schema-check.ts implements, and those that carry no constraint.
const CHECKED = new Set([
  'type',
  'enum',
  'const',
  'allOf',
  'format',
  'minLength',
  'maxLength',
  'items',
  'properties',
  'required',
  'additionalProperties',
]);
const ANNOTATIONS = new Set(['description', 'default', 'example', 'examples', 'readOnly', 'title']);
const FORMATS = new Set(['uri', 'uuid', 'date-time']);

function resolveRef(ref) {
  const parts = ref.replace(/^#\//, '').split('/');
  return { name: parts.at(-1), node: parts.reduce((node, part) => node[part], spec) };
}

/** The schema as a JS expression; named components become shared constants. */
function emit(schema, where, named) {
  if (schema.$ref) {
    const { name, node } = resolveRef(schema.$ref);
    // Emitting the body first puts the constants it uses before it (no forward references).
    if (!named.has(name)) named.set(name, emit(node, schema.$ref, named));
    return name;
  }
  const fields = [];
  for (const [keyword, value] of Object.entries(schema)) {
    if (ANNOTATIONS.has(keyword)) continue;
    if (!CHECKED.has(keyword)) {
      throw new Error(
        `${where}: keyword "${keyword}" is not implemented by packages/rules/src/schema-check.ts; implement it there first.`,
      );
    }
    if (keyword === 'format' && !FORMATS.has(value))
      throw new Error(`${where}: format "${value}" is not implemented.`);
    if (keyword === 'additionalProperties' && value !== false)
      throw new Error(`${where}: only additionalProperties: false is implemented.`);
    if (keyword === 'items') fields.push(`items: ${emit(value, `${where}/items`, named)}`);
    else if (keyword === 'allOf') {
      const parts = value.map((part, index) => emit(part, `${where}/allOf/${index}`, named));
      fields.push(`allOf: [${parts.join(', ')}]`);
    } else if (keyword === 'properties') {
      const props = Object.entries(value).map(
        ([key, prop]) =>
          `${JSON.stringify(key)}: ${emit(prop, `${where}/properties/${key}`, named)}`,
      );
      fields.push(`properties: { ${props.join(', ')} }`);
    } else fields.push(`${keyword}: ${JSON.stringify(value)}`);
  }
  return `{ ${fields.join(', ')} }`;
}

// What each operation takes: its path parameters and its JSON body, as one row per operationId,
// so a bundle that sends one operation carries that operation's schemas and formats only.
const requestSchemas = [];
const payloadSchemas = [];
const named = new Map();
const operations = [];
for (const [path, item] of Object.entries(spec.paths)) {
  const shared = item.parameters ?? [];
  for (const method of ['get', 'put', 'post', 'patch', 'delete']) {
    const operation = item[method];
    if (!operation) continue;
    const pathParams = [];
    const used = [];
    for (const param of [...shared, ...(operation.parameters ?? [])]) {
      const resolved = param.$ref ? resolveRef(param.$ref).node : param;
      if (resolved.in !== 'path') continue;
      let code = emit(resolved.schema, `${path} ${resolved.name}`, named);
      // A shared parameter (components.parameters) is one constant every operation refers to.
      if (param.$ref) {
        const constant = `${resolveRef(param.$ref).name}Parameter`;
        if (!named.has(constant)) named.set(constant, code);
        code = constant;
      }
      pathParams.push([resolved.name, code]);
      used.push(resolved.schema);
    }
    const body = operation.requestBody?.content?.['application/json']?.schema;
    const bodyCode = body ? emit(body, `${operation.operationId} requestBody`, named) : undefined;
    if (body) used.push(body);
    requestSchemas.push(...used);
    operations.push({ id: operation.operationId, method, path, pathParams, bodyCode, used });
  }
}

/** The formats `schema` uses, through every $ref: each group carries only the regexes it needs. */
function formatsIn(schema, found = new Set(), visited = new Set()) {
  if (Array.isArray(schema)) {
    for (const item of schema) formatsIn(item, found, visited);
  } else if (schema && typeof schema === 'object') {
    if (schema.$ref) {
      if (visited.has(schema.$ref)) return found;
      visited.add(schema.$ref);
      formatsIn(resolveRef(schema.$ref).node, found, visited);
    }
    if (typeof schema.format === 'string') found.add(schema.format);
    for (const [key, value] of Object.entries(schema)) {
      if (key !== 'examples' && key !== 'example') formatsIn(value, found, visited);
    }
  }
  return found;
}
// Delivery bodies, by event name.
const payloads = new Map();
for (const [event, item] of Object.entries(spec.webhooks)) {
  const body = item.post?.requestBody?.content?.['application/json']?.schema;
  if (body) {
    payloads.set(event, emit(body, `webhooks ${event} requestBody`, named));
    payloadSchemas.push(body);
  }
}

// ajv-formats exports `uri` as a function over a module-private regex; read that regex from the
// pinned file, then prove it behaves like the exported function before using it.
const require = createRequire(import.meta.url);
const formatsFile = require.resolve('ajv-formats/dist/formats.js');
const { fullFormats, fastFormats } = require(formatsFile);
const uriSource = /^const URI = \/(.*)\/i;$/m.exec(await readFile(formatsFile, 'utf8'))?.[1];
if (!uriSource) throw new Error(`Could not find the URI regex in ${formatsFile}`);
const uri = new RegExp(uriSource, 'i');
const probes = [
  'https://a.example/x?y#z',
  'a:b',
  'mailto:x@y',
  'http://[::1]:80/',
  'http://a b',
  '//x',
  'x',
  '',
  'a:"',
  'http://%zz',
  'ht tp://x',
  'urn:uuid:1',
];
for (const probe of probes) {
  if (uri.test(probe) !== fullFormats.uri(probe))
    throw new Error(
      `The URI regex read from ajv-formats disagrees with it on ${JSON.stringify(probe)}`,
    );
}
const uuid = fullFormats.uuid;
// Its full `date-time` is a function (calendar checks included); the `fast` regex checks the
// RFC 3339 shape only. Choice: the shape is what a receiver needs to parse the value; a delivery
// dated 30 February is RealtimeKit's bug to fix, not a reason to withhold an authentic payload.
const dateTime = fastFormats['date-time'].validate;
if (!(dateTime instanceof RegExp))
  throw new Error('ajv-formats no longer exports the fast date-time regex');

const REGEX = { uri, uuid, 'date-time': dateTime };
const FORMAT_CONST = { uri: 'uriFormat', uuid: 'uuidFormat', 'date-time': 'dateTimeFormat' };
// Each regex once, as a constant the groups below share.
const usedFormats = [
  ...new Set([...formatsIn(requestSchemas), ...formatsIn(payloadSchemas)]),
].sort();
function formatsObject(used) {
  const entries = [...used].sort().map((name) => `${JSON.stringify(name)}: ${FORMAT_CONST[name]}`);
  return `{ ${entries.join(', ')} }`;
}

const lines = [
  generatedHeader(
    'packages/rules/scripts/generate-schemas.mjs',
    'spec/realtimekit-webhooks.yaml and ajv-formats',
  ),
  "import type { Formats, OperationInput, SchemaNode } from './schema-check.js';",
  '',
  "// The format checks, as ajv-formats (Prism's validator) defines them.",
  ...usedFormats.map((name) => `const ${FORMAT_CONST[name]} = ${REGEX[name]};`),
  '',
  ...[...named].map(([name, code]) => `const ${name}: SchemaNode = ${code};`),
  '',
  ...operations.flatMap(({ id, method, path, pathParams, bodyCode, used }) => [
    `/** The input of ${id} (${method.toUpperCase()} \`${path}\`): path parameters${bodyCode ? ', JSON body' : ''} and the formats they use. */`,
    `export const ${id}Input: OperationInput = { path: { ${pathParams.map(([name, code]) => `${name}: ${code}`).join(', ')} },${bodyCode ? ` body: ${bodyCode},` : ''} formats: ${formatsObject(formatsIn(used))} };`,
    '',
  ]),
  '/** Delivery-payload schemas, by event name. */',
  `export const deliveryPayloads = { ${[...payloads].map(([event, code]) => `${JSON.stringify(event)}: ${code}`).join(', ')} } as const satisfies Record<string, SchemaNode>;`,
  '',
  "/** The formats `deliveryPayloads` use, as ajv-formats (Prism's validator) defines them. */",
  `export const payloadFormats: Formats = ${formatsObject(formatsIn(payloadSchemas))};`,
  '',
];
await writeGenerated(outPath, lines.join('\n'));
