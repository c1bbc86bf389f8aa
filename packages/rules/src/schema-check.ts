// A small checker for the JSON Schema subset the spec uses in request bodies, path parameters and
// delivery payloads. The schemas are generated from the spec (schemas.gen.ts); the generator
// refuses any keyword this file does not implement, so a spec change can never be checked only
// partly. It follows Ajv's rules (the validator Prism uses), so the client accepts exactly what the
// mock accepts, and the receiver flags exactly the payloads the spec does not describe.

import type { ValidationIssue } from '@realtimekit-webhooks/types';

/** A schema node as generated from the spec. */
export interface SchemaNode {
  readonly type?: 'string' | 'boolean' | 'number' | 'integer' | 'array' | 'object';
  readonly enum?: readonly unknown[];
  readonly const?: string | number | boolean;
  readonly format?: FormatName;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly items?: SchemaNode;
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: false;
  /** Every one of these must hold too (the spec uses it to extend a named schema). */
  readonly allOf?: readonly SchemaNode[];
}

/** What one operation takes, as generated from the spec: its path parameters and JSON body. */
export interface OperationInput {
  /** The schema of each path parameter, by the spec's name (`account_id`, `webhook_id`). */
  readonly path: Readonly<Record<string, SchemaNode>>;
  /** The schema of the JSON body, for operations that take one. */
  readonly body?: SchemaNode;
  /** The format checks the schemas above use, and no others. */
  readonly formats: Formats;
}

/** The `format` values the spec uses. */
export type FormatName = 'uri' | 'uuid' | 'date-time';

/**
 * Format checks, generated from the same library Prism uses (ajv-formats). Each group of schemas
 * comes with the formats it uses and no others, so a bundle carries only the regexes it needs.
 */
export type Formats = Readonly<Partial<Record<FormatName, RegExp>>>;

const FORMAT_HINT: Record<FormatName, string> = {
  uri: 'an absolute URI such as https://example.com/webhooks',
  uuid: 'a UUID such as 0d1f069d-43bb-489a-ad8c-7eb95592ba8e',
  'date-time': 'an RFC 3339 date-time such as 2026-06-03T10:00:00.000Z',
};

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function hasType(value: unknown, type: NonNullable<SchemaNode['type']>): boolean {
  switch (type) {
    case 'object':
      return kindOf(value) === 'object';
    case 'array':
      return Array.isArray(value);
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    default:
      return typeof value === type;
  }
}

/** Length in code points, as JSON Schema (and Ajv) count it. */
function codePoints(text: string): number {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/** Appends to `issues` every way `value` breaks `schema`; `path` names the value for people. */
export function checkSchema(
  schema: SchemaNode,
  value: unknown,
  path: string,
  formats: Formats,
  issues: ValidationIssue[],
): void {
  if (schema.type !== undefined && !hasType(value, schema.type)) {
    const article = /^[aeiou]/.test(schema.type) ? 'an' : 'a';
    issues.push({ path, message: `must be ${article} ${schema.type} (got ${kindOf(value)})` });
    return;
  }
  if (schema.enum !== undefined && !schema.enum.includes(value)) {
    issues.push({ path, message: `must be one of ${schema.enum.join(', ')} (got ${show(value)})` });
  }
  if (schema.const !== undefined && value !== schema.const) {
    issues.push({ path, message: `must be ${JSON.stringify(schema.const)} (got ${show(value)})` });
  }
  if (schema.allOf !== undefined) {
    for (const part of schema.allOf) checkSchema(part, value, path, formats, issues);
  }
  if (typeof value === 'string') checkString(schema, value, path, formats, issues);
  if (Array.isArray(value) && schema.items !== undefined) {
    for (let index = 0; index < value.length; index += 1) {
      checkSchema(schema.items, value[index], `${path}[${index}]`, formats, issues);
    }
  }
  if (kindOf(value) === 'object')
    checkObject(schema, value as Record<string, unknown>, path, formats, issues);
}

function checkString(
  schema: SchemaNode,
  value: string,
  path: string,
  formats: Formats,
  issues: ValidationIssue[],
): void {
  const length =
    schema.minLength !== undefined || schema.maxLength !== undefined ? codePoints(value) : 0;
  if (schema.minLength !== undefined && length < schema.minLength) {
    issues.push({
      path,
      message: `must be at least ${schema.minLength} characters (got ${length})`,
    });
  }
  if (schema.maxLength !== undefined && length > schema.maxLength) {
    issues.push({
      path,
      message: `must be at most ${schema.maxLength} characters (got ${length})`,
    });
  }
  // The value itself is not echoed: a webhook URL can carry a secret in its query.
  const format = schema.format === undefined ? undefined : formats[schema.format];
  if (schema.format !== undefined && format === undefined) {
    // The generator pairs every schema group with its formats: this is a wrong pairing.
    throw new Error(`No "${schema.format}" check was given for ${path}`);
  }
  if (schema.format !== undefined && format !== undefined && !format.test(value)) {
    issues.push({ path, message: `must be ${FORMAT_HINT[schema.format]}` });
  }
}

const NO_PROPERTIES: Readonly<Record<string, SchemaNode>> = {};

function checkObject(
  schema: SchemaNode,
  value: Record<string, unknown>,
  path: string,
  formats: Formats,
  issues: ValidationIssue[],
): void {
  // `undefined` properties are dropped by JSON.stringify, so they count as absent.
  if (schema.required !== undefined) {
    for (const key of schema.required) {
      if (value[key] === undefined) issues.push({ path: `${path}.${key}`, message: 'is required' });
    }
  }
  // Payloads are checked on every delivery: keys, not entries, so no pair is allocated per field.
  const properties = schema.properties ?? NO_PROPERTIES;
  for (const key of Object.keys(value)) {
    const item = value[key];
    if (item === undefined) continue;
    const property = Object.hasOwn(properties, key) ? properties[key] : undefined;
    if (property !== undefined) checkSchema(property, item, `${path}.${key}`, formats, issues);
    else if (schema.additionalProperties === false) {
      const known = Object.keys(properties).join(', ');
      issues.push({
        path: `${path}.${key}`,
        message: `is not a known field (expected one of ${known})`,
      });
    }
  }
}
