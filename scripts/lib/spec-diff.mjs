// Classifies the difference between two versions of the spec: breaking, additive, or none.
// Data that flows to users (responses, delivery payloads) and data they send (request bodies,
// parameters) break in opposite ways, so every comparison knows its direction.

const METHODS = ['get', 'put', 'post', 'patch', 'delete', 'head', 'options', 'trace'];

/** The spec with every local `$ref` replaced by what it points to. */
export function dereference(spec) {
  const resolve = (node, seen) => {
    if (Array.isArray(node)) return node.map((item) => resolve(item, seen));
    if (node === null || typeof node !== 'object') return node;
    if (typeof node.$ref === 'string' && node.$ref.startsWith('#/')) {
      if (seen.has(node.$ref)) return {}; // a recursive schema: compare one level only
      const target = node.$ref
        .slice(2)
        .split('/')
        .reduce((n, key) => n?.[key.replaceAll('~1', '/').replaceAll('~0', '~')], spec);
      return resolve(target, new Set([...seen, node.$ref]));
    }
    return Object.fromEntries(
      Object.entries(node).map(([key, value]) => [key, resolve(value, seen)]),
    );
  };
  return resolve(spec, new Set());
}

const typesOf = (schema) => {
  if (schema.type !== undefined) return [schema.type].flat();
  if (schema.const !== undefined) return [typeof schema.const];
  return undefined;
};

/** Adds to `changes` every difference between two schemas; `direction` is 'request' or 'response'. */
function compareSchema(before, after, direction, where, changes) {
  if (!before || !after) return;
  const breaking = (message) => changes.push({ level: 'breaking', where, message });
  const additive = (message) => changes.push({ level: 'additive', where, message });

  const [oldTypes, newTypes] = [typesOf(before), typesOf(after)];
  if (oldTypes && newTypes) {
    const lost = oldTypes.filter((t) => !newTypes.includes(t));
    const gained = newTypes.filter((t) => !oldTypes.includes(t));
    // A request may stop accepting a type; a response may start sending one users do not expect.
    if (direction === 'request' ? lost.length > 0 : gained.length > 0)
      breaking(`type changed from ${oldTypes} to ${newTypes}`);
    else if (lost.length + gained.length > 0)
      additive(`type changed from ${oldTypes} to ${newTypes}`);
  } else if (!oldTypes && newTypes && direction === 'request') {
    breaking(`type narrowed to ${newTypes}`);
  }
  if (before.const !== after.const && before.const !== undefined)
    breaking(`const changed from ${before.const} to ${after.const}`);

  const oldEnum = before.enum ?? [];
  const newEnum = after.enum ?? [];
  for (const value of oldEnum)
    if (after.enum && !newEnum.includes(value)) breaking(`enum value "${value}" removed`);
  for (const value of newEnum)
    if (before.enum && !oldEnum.includes(value)) additive(`enum value "${value}" added`);
  if (!before.enum && after.enum && direction === 'request') breaking('values narrowed to an enum');

  if (direction === 'request') {
    if ((after.maxLength ?? Infinity) < (before.maxLength ?? Infinity))
      breaking(`maxLength narrowed to ${after.maxLength}`);
    if ((after.minLength ?? 0) > (before.minLength ?? 0))
      breaking(`minLength raised to ${after.minLength}`);
    if (after.format !== undefined && after.format !== before.format)
      breaking(`format "${after.format}" now required`);
    if (after.additionalProperties === false && before.additionalProperties !== false)
      breaking('unknown fields now refused');
  } else if (before.format !== undefined && after.format !== before.format) {
    breaking(`format changed from "${before.format}"`);
  }

  const oldProps = before.properties ?? {};
  const newProps = after.properties ?? {};
  const oldRequired = new Set(before.required ?? []);
  const newRequired = new Set(after.required ?? []);
  for (const name of Object.keys(oldProps)) {
    if (!(name in newProps)) {
      // Users read response fields; and a request field that is gone is refused or ignored.
      breaking(`field "${name}" removed`);
      continue;
    }
    compareSchema(oldProps[name], newProps[name], direction, `${where}.${name}`, changes);
  }
  for (const name of Object.keys(newProps)) {
    if (name in oldProps) continue;
    if (direction === 'request' && newRequired.has(name))
      breaking(`required field "${name}" added`);
    else additive(`field "${name}" added`);
  }
  for (const name of newRequired) {
    if (!oldRequired.has(name) && name in oldProps && direction === 'request')
      breaking(`field "${name}" is now required`);
  }
  for (const name of oldRequired) {
    if (!newRequired.has(name) && name in newProps && direction === 'response')
      breaking(`field "${name}" is no longer always present`);
  }
  if (before.items || after.items)
    compareSchema(before.items ?? {}, after.items ?? {}, direction, `${where}[]`, changes);
  for (const key of ['allOf', 'anyOf', 'oneOf']) {
    const [a, b] = [before[key] ?? [], after[key] ?? []];
    const property = before.discriminator?.propertyName ?? after.discriminator?.propertyName;
    if (key !== 'allOf' && property) {
      compareVariants(a, b, property, direction, `${where}.${key}`, changes);
      continue;
    }
    for (const [i, schema] of a.entries()) {
      compareSchema(schema, b[i] ?? {}, direction, `${where}.${key}[${i}]`, changes);
    }
  }
}

/** The value a variant gives its discriminator property (`const`, or a one-value `enum`). */
function discriminatorValue(variant, property) {
  const schema = variant.properties?.[property];
  if (schema?.const !== undefined) return String(schema.const);
  if (Array.isArray(schema?.enum) && schema.enum.length === 1) return String(schema.enum[0]);
  return undefined;
}

/**
 * Variants of a discriminated oneOf/anyOf, matched by their discriminator value rather than by
 * position, so reordering them is no change and each variant is compared with itself.
 */
function compareVariants(before, after, property, direction, where, changes) {
  const byValue = (variants) =>
    new Map(variants.map((v, i) => [discriminatorValue(v, property) ?? `#${i}`, v]));
  const [oldVariants, newVariants] = [byValue(before), byValue(after)];
  for (const [value, variant] of oldVariants) {
    const next = newVariants.get(value);
    if (next) compareSchema(variant, next, direction, `${where}[${property}=${value}]`, changes);
    else
      changes.push({
        level: 'breaking',
        where,
        message: `variant ${property}=${value} removed`,
      });
  }
  for (const value of newVariants.keys()) {
    if (!oldVariants.has(value))
      changes.push({
        level: 'additive',
        where,
        message: `variant ${property}=${value} added`,
      });
  }
}

/**
 * The servers calls go to by default: the document's, and any a path overrides them with (the
 * signing-key endpoint has its own). A changed first URL moves every call made with the default.
 */
function compareServers(before, after, changes) {
  const pairs = [['document', before.servers, after.servers]];
  for (const [path, item] of Object.entries(before.paths ?? {})) {
    if (item.servers || after.paths?.[path]?.servers)
      pairs.push([path, item.servers, after.paths?.[path]?.servers]);
  }
  for (const [where, old, next] of pairs) {
    const [oldUrl, newUrl] = [old?.[0]?.url, next?.[0]?.url];
    if (oldUrl !== undefined && oldUrl !== newUrl)
      changes.push({
        level: 'breaking',
        where: `servers (${where})`,
        message: `default server ${oldUrl} became ${newUrl ?? 'none'}`,
      });
    for (const server of (next ?? []).slice(1)) {
      if (!(old ?? []).some((o) => o.url === server.url))
        changes.push({
          level: 'additive',
          where: `servers (${where})`,
          message: `server ${server.url} added`,
        });
    }
  }
}

const jsonSchema = (content) => content?.['application/json']?.schema;

function compareOperation(before, after, where, incoming, changes) {
  // Parameters users send.
  const key = (p) => `${p.in}:${p.name}`;
  const oldParams = new Map((before.parameters ?? []).map((p) => [key(p), p]));
  const newParams = new Map((after.parameters ?? []).map((p) => [key(p), p]));
  for (const [name, param] of newParams) {
    const old = oldParams.get(name);
    if (!old && param.required && !incoming)
      changes.push({ level: 'breaking', where, message: `required parameter ${name} added` });
    else if (!old) changes.push({ level: 'additive', where, message: `parameter ${name} added` });
    else
      compareSchema(
        old.schema,
        param.schema,
        incoming ? 'response' : 'request',
        `${where} ${name}`,
        changes,
      );
  }
  for (const name of oldParams.keys()) {
    if (!newParams.has(name))
      changes.push({
        level: incoming ? 'breaking' : 'additive',
        where,
        message: `parameter ${name} removed`,
      });
  }
  // The request body: sent by users, except for deliveries (incoming), which users receive.
  compareSchema(
    jsonSchema(before.requestBody?.content),
    jsonSchema(after.requestBody?.content),
    incoming ? 'response' : 'request',
    `${where} body`,
    changes,
  );
  if (!before.requestBody?.required && after.requestBody?.required && !incoming) {
    changes.push({ level: 'breaking', where, message: 'request body now required' });
  }
  // Responses users receive.
  for (const [status, response] of Object.entries(before.responses ?? {})) {
    const next = after.responses?.[status];
    if (!next) {
      if (/^2/.test(status))
        changes.push({ level: 'breaking', where, message: `response ${status} removed` });
      continue;
    }
    compareSchema(
      jsonSchema(response.content),
      jsonSchema(next.content),
      'response',
      `${where} ${status}`,
      changes,
    );
  }
}

function operations(pathItems) {
  const found = new Map();
  for (const [path, item] of Object.entries(pathItems ?? {})) {
    for (const method of METHODS) {
      if (!item[method]) continue;
      const parameters = [...(item.parameters ?? []), ...(item[method].parameters ?? [])];
      found.set(`${method.toUpperCase()} ${path}`, { ...item[method], parameters });
    }
  }
  return found;
}

/** Every change from `beforeSpec` to `afterSpec`, with the overall level. */
export function diffSpecs(beforeSpec, afterSpec) {
  const [before, after] = [dereference(beforeSpec), dereference(afterSpec)];
  const changes = [];
  compareServers(before, after, changes);
  for (const [section, incoming] of [
    ['paths', false],
    ['webhooks', true],
  ]) {
    const [oldOps, newOps] = [operations(before[section]), operations(after[section])];
    for (const [name, operation] of oldOps) {
      const next = newOps.get(name);
      if (!next)
        changes.push({
          level: 'breaking',
          where: name,
          message: `${incoming ? 'delivery' : 'operation'} removed`,
        });
      else compareOperation(operation, next, name, incoming, changes);
    }
    for (const name of newOps.keys()) {
      if (!oldOps.has(name))
        changes.push({
          level: 'additive',
          where: name,
          message: `${incoming ? 'delivery' : 'operation'} added`,
        });
    }
  }
  // Schemas no operation uses yet still ship as named types.
  for (const [name, schema] of Object.entries(before.components?.schemas ?? {})) {
    if (!after.components?.schemas?.[name])
      changes.push({
        level: 'breaking',
        where: `#/components/schemas/${name}`,
        message: 'schema removed (its exported type is gone)',
      });
    else if (schema.enum)
      compareSchema(
        schema,
        after.components.schemas[name],
        'response',
        `#/components/schemas/${name}`,
        changes,
      );
  }
  const level = changes.some((c) => c.level === 'breaking')
    ? 'breaking'
    : changes.length > 0
      ? 'additive'
      : 'none';
  return { level, changes: dedupe(changes) };
}

function dedupe(changes) {
  const seen = new Set();
  return changes.filter((c) => {
    const key = `${c.level}|${c.where}|${c.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
