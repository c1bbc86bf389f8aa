// Names every difference between spec/ and Cloudflare's published description of the same API
// (a fragment of cloudflare/api-schemas' openapi.json, see upstream-fragment.mjs). Each difference
// is one sentence that stays the same for as long as the difference does and changes with it
// (it carries both values), so a reviewed list of intended ones can be matched word for word and
// anything Cloudflare changes shows up as a sentence not on that list.
import { dereference } from './spec-diff.mjs';

const METHODS = ['get', 'put', 'post', 'patch', 'delete', 'head', 'options', 'trace'];
const SPEC = 'only in spec/';
const UPSTREAM = 'only upstream';

const show = (value) => JSON.stringify(value);
const same = (a, b) => show(a) === show(b);

/** Adds one difference for a value the two sides give differently (or only one gives). */
function compareValue(where, what, ours, theirs, out) {
  if (same(ours, theirs)) return;
  if (ours === undefined) out.push(`${where}: ${what} ${show(theirs)}: ${UPSTREAM}`);
  else if (theirs === undefined) out.push(`${where}: ${what} ${show(ours)}: ${SPEC}`);
  else out.push(`${where}: ${what}: spec/ ${show(ours)}, upstream ${show(theirs)}`);
}

/** Adds one difference for each member of a set that only one side has. */
function compareSets(where, what, ours = [], theirs = [], out = []) {
  for (const item of ours)
    if (!theirs.includes(item)) out.push(`${where}: ${what} ${show(item)}: ${SPEC}`);
  for (const item of theirs)
    if (!ours.includes(item)) out.push(`${where}: ${what} ${show(item)}: ${UPSTREAM}`);
}

const typesOf = (schema) =>
  schema.type === undefined ? undefined : [schema.type].flat().toSorted().join('|');

/** `false` for a closed object, the schema of extra values, or undefined (open, unsaid). */
const extraValues = (schema) =>
  schema.additionalProperties === true ? undefined : schema.additionalProperties;

// Keywords that change what a value may be. Descriptions, titles and schema-level examples are
// words for people: they are not compared (media-type examples of error texts are, below).
const SCALAR_KEYWORDS = [
  'format',
  'const',
  'maxLength',
  'minLength',
  'pattern',
  'maximum',
  'minimum',
  'maxItems',
  'minItems',
  'default',
  'readOnly',
  'writeOnly',
];

/** Every difference between two schemas (both dereferenced) at `where`. */
function compareSchema(where, ours, theirs, out) {
  if (ours === undefined || theirs === undefined) {
    if (ours !== theirs) out.push(`${where}: schema: ${ours === undefined ? UPSTREAM : SPEC}`);
    return;
  }
  compareValue(where, 'type', typesOf(ours), typesOf(theirs), out);
  for (const keyword of SCALAR_KEYWORDS)
    compareValue(where, keyword, ours[keyword], theirs[keyword], out);
  // An enum is a set: a value added or removed is named on its own; the order is no difference.
  if (ours.enum || theirs.enum) {
    if (!ours.enum || !theirs.enum) compareValue(where, 'enum', ours.enum, theirs.enum, out);
    else compareSets(where, 'enum value', ours.enum, theirs.enum, out);
  }
  const [ourExtra, theirExtra] = [extraValues(ours), extraValues(theirs)];
  if (typeof ourExtra === 'object' && typeof theirExtra === 'object')
    compareSchema(`${where}.*`, ourExtra, theirExtra, out);
  else compareValue(where, 'additionalProperties', ourExtra, theirExtra, out);

  const [ourProps, theirProps] = [ours.properties ?? {}, theirs.properties ?? {}];
  const [ourRequired, theirRequired] = [ours.required ?? [], theirs.required ?? []];
  for (const name of new Set([...Object.keys(ourProps), ...Object.keys(theirProps)])) {
    if (!(name in theirProps)) out.push(`${where}: field "${name}": ${SPEC}`);
    else if (!(name in ourProps)) out.push(`${where}: field "${name}": ${UPSTREAM}`);
    else {
      compareValue(
        where,
        `field "${name}" required`,
        ourRequired.includes(name) || undefined,
        theirRequired.includes(name) || undefined,
        out,
      );
      compareSchema(`${where}.${name}`, ourProps[name], theirProps[name], out);
    }
  }
  if (ours.items || theirs.items) compareSchema(`${where}[]`, ours.items, theirs.items, out);
  for (const key of ['allOf', 'anyOf', 'oneOf']) {
    const [a, b] = [ours[key] ?? [], theirs[key] ?? []];
    if (a.length !== b.length)
      compareValue(where, `${key} of`, a.length || undefined, b.length || undefined, out);
    else
      for (const [i, schema] of a.entries())
        compareSchema(`${where}.${key}[${i}]`, schema, b[i], out);
  }
}

/**
 * The text of an error example: its `error.message`, `message` or first `errors[].message`.
 * Cloudflare publishes some examples as JavaScript-like text (`{ message: 'x' }`), not JSON:
 * those are read with a pattern, so the text is compared, not the spelling of the object.
 */
export function exampleMessage(value) {
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      const match = /message"?\s*:\s*(['"])((?:\\.|(?!\1).)*)\1/.exec(value);
      return match ? match[2].replace(/\\(.)/g, '$1') : undefined;
    }
  }
  if (parsed === null || typeof parsed !== 'object') return undefined;
  return parsed.error?.message ?? parsed.message ?? parsed.errors?.[0]?.message;
}

const jsonContent = (holder) => holder?.content?.['application/json'];
const messagesOf = (response) =>
  Object.values(jsonContent(response)?.examples ?? {})
    .map((example) => exampleMessage(example.value))
    .filter((message) => message !== undefined);

function compareOperation(where, ours, theirs, out) {
  compareValue(where, 'method and path', ours.route, theirs.route, out);
  compareValue(where, 'summary', ours.summary, theirs.summary, out);
  compareValue(where, 'x-stability', ours['x-stability'], theirs['x-stability'], out);
  compareSets(
    where,
    'x-api-token-group',
    ours['x-api-token-group'],
    theirs['x-api-token-group'],
    out,
  );
  const schemes = (operation) => (operation.security ?? []).flatMap(Object.keys);
  compareSets(where, 'security scheme', schemes(ours), schemes(theirs), out);

  const params = (operation) =>
    new Map(operation.parameters.map((p) => [`${p.in} parameter ${p.name}`, p]));
  const [ourParams, theirParams] = [params(ours), params(theirs)];
  for (const name of new Set([...ourParams.keys(), ...theirParams.keys()])) {
    const [a, b] = [ourParams.get(name), theirParams.get(name)];
    if (!b) out.push(`${where}: ${name}: ${SPEC}`);
    else if (!a) out.push(`${where}: ${name}: ${UPSTREAM}`);
    else {
      compareValue(`${where} ${name}`, 'required', a.required, b.required, out);
      compareSchema(`${where} ${name}`, a.schema, b.schema, out);
    }
  }

  if (ours.requestBody || theirs.requestBody) {
    if (!theirs.requestBody) out.push(`${where}: request body: ${SPEC}`);
    else if (!ours.requestBody) out.push(`${where}: request body: ${UPSTREAM}`);
    else {
      compareValue(
        `${where} request body`,
        'required',
        ours.requestBody.required,
        theirs.requestBody.required,
        out,
      );
      compareSchema(
        `${where} request body`,
        jsonContent(ours.requestBody)?.schema,
        jsonContent(theirs.requestBody)?.schema,
        out,
      );
    }
  }

  const [ourResponses, theirResponses] = [ours.responses ?? {}, theirs.responses ?? {}];
  for (const status of new Set([...Object.keys(ourResponses), ...Object.keys(theirResponses)])) {
    const [a, b] = [ourResponses[status], theirResponses[status]];
    if (!b) out.push(`${where}: response ${status}: ${SPEC}`);
    else if (!a) out.push(`${where}: response ${status}: ${UPSTREAM}`);
    else {
      compareSchema(
        `${where} response ${status}`,
        jsonContent(a)?.schema,
        jsonContent(b)?.schema,
        out,
      );
      compareSets(`${where} response ${status}`, 'example text', messagesOf(a), messagesOf(b), out);
    }
  }
}

/**
 * Each operation of a `paths` or `webhooks` section by its name, with its route, all its
 * parameters and the security it runs under (its own, else the document's).
 */
function operationsOf(section, naming, security) {
  const found = new Map();
  for (const [path, item] of Object.entries(section ?? {})) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const route = `${method.toUpperCase()} ${path}`;
      const parameters = [...(item.parameters ?? []), ...(operation.parameters ?? [])];
      found.set(naming(operation, path), {
        ...operation,
        route,
        parameters,
        security: operation.security ?? security,
      });
    }
  }
  return found;
}

/** Every `#/components/...` name a node refers to, directly or through what it refers to. */
function referencedComponents(node, document, found = new Set()) {
  if (Array.isArray(node)) for (const item of node) referencedComponents(item, document, found);
  else if (node && typeof node === 'object') {
    if (typeof node.$ref === 'string' && !found.has(node.$ref)) {
      found.add(node.$ref);
      const target = node.$ref
        .slice(2)
        .split('/')
        .reduce((n, key) => n?.[key], document);
      referencedComponents(target, document, found);
    }
    for (const value of Object.values(node)) referencedComponents(value, document, found);
  }
  return found;
}

/** A schema's fields and their types in one line: what identifies an unused schema's shape. */
function shapeOf(schema) {
  const fields = Object.entries(schema.properties ?? {}).map(([name, field]) =>
    [name, typesOf(field), field.format].filter(Boolean).join(' '),
  );
  return `{ ${fields.join(', ')} }${schema.required?.length ? ` required ${schema.required.join(', ')}` : ''}`;
}

/**
 * The fragment as one document: the components it had to rebuild (`x-reconstructed`) put back
 * where its references point.
 */
export function upstreamDocument(fragment) {
  const schemas = { ...fragment['x-reconstructed']?.schemas, ...fragment.components?.schemas };
  return { ...fragment, components: { ...fragment.components, schemas } };
}

/** Every difference between `spec` (spec/) and `fragment` (Cloudflare's), as sentences, sorted. */
export function upstreamDifferences(spec, fragment) {
  const upstream = upstreamDocument(fragment);
  const [ours, theirs] = [dereference(spec), dereference(upstream)];
  const out = [];
  const byId = (operation, path) => operation.operationId ?? path;
  const [ourOps, theirOps] = [
    operationsOf(ours.paths, byId, ours.security),
    operationsOf(theirs.paths, byId, theirs.security),
  ];
  for (const name of new Set([...ourOps.keys(), ...theirOps.keys()])) {
    const [a, b] = [ourOps.get(name), theirOps.get(name)];
    if (!b) out.push(`operation ${name} (${a.route}): ${SPEC}`);
    else if (!a) out.push(`operation ${name} (${b.route}): ${UPSTREAM}`);
    else compareOperation(name, a, b, out);
  }
  const byEvent = (_operation, event) => event;
  const [ourEvents, theirEvents] = [
    operationsOf(ours.webhooks, byEvent, ours.security),
    operationsOf(theirs.webhooks, byEvent, theirs.security),
  ];
  for (const event of new Set([...ourEvents.keys(), ...theirEvents.keys()])) {
    const [a, b] = [ourEvents.get(event), theirEvents.get(event)];
    if (!b) out.push(`delivery ${event}: ${SPEC}`);
    else if (!a) out.push(`delivery ${event}: ${UPSTREAM}`);
    else compareOperation(`delivery ${event}`, a, b, out);
  }
  // A published schema no operation uses yet is a sign of an endpoint to come: named with its shape.
  const used = referencedComponents(upstream.paths, upstream);
  for (const [name, schema] of Object.entries(upstream.components.schemas)) {
    if (!used.has(`#/components/schemas/${name}`))
      out.push(`schema ${name} (no operation uses it) ${shapeOf(schema)}: ${UPSTREAM}`);
  }
  return [...new Set(out)].sort();
}

/** The differences split by the reviewed list: intended, new (not listed), stale (listed, gone). */
export function classify(differences, intended) {
  const listed = new Set(intended.flatMap((entry) => entry.differences));
  return {
    intended: differences.filter((d) => listed.has(d)),
    new: differences.filter((d) => !listed.has(d)),
    stale: [...listed].filter((d) => !differences.includes(d)),
  };
}

export { referencedComponents };
