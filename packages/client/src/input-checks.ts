// Checks a call's input against the spec before anything is sent. Each operation brings its own
// input schemas (generated from the spec into the private rules package), so a bundle carries
// only the schemas of the operations it calls; the rules on path segments that the spec cannot
// express live here.

import {
  checkSchema as check,
  MAX_TIMER_MS,
  type OperationInput,
} from '@realtimekit-webhooks/rules';
import type { ValidationIssue } from '@realtimekit-webhooks/types';
import { describeType } from './base-url.js';
import { LONE_SURROGATE, WHITESPACE_OR_CONTROL } from './characters.js';
import { ValidationError } from './errors.js';

/** The ids a call puts in its path, under the names users pass them by; absent ones are not checked. */
export interface PathIds {
  accountId?: unknown;
  appId?: unknown;
  /** The id of a by-id call: checked even when undefined, since the call needs it. */
  webhookId?: unknown;
}

const PARAMETER_OF = { accountId: 'account_id', appId: 'app_id', webhookId: 'webhook_id' } as const;

/** The retry and timeout settings a client or a call may set; absent ones are not checked. */
export interface Limits {
  timeoutMs?: unknown;
  maxRetries?: unknown;
}

/** What a time limit must be (a longer timer fires at once, so the ceiling is a timer's). */
const TIMEOUT_RULE = `must be a positive number of milliseconds, at most ${MAX_TIMER_MS}`;

/** Every problem with the limits, or none. */
export function limitIssues({ timeoutMs, maxRetries }: Limits): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (
    timeoutMs !== undefined &&
    !(typeof timeoutMs === 'number' && timeoutMs > 0 && timeoutMs <= MAX_TIMER_MS)
  ) {
    issues.push({ path: 'timeoutMs', message: TIMEOUT_RULE });
  }
  if (maxRetries !== undefined && !(Number.isInteger(maxRetries) && (maxRetries as number) >= 0)) {
    issues.push({ path: 'maxRetries', message: 'must be a whole number, 0 or more' });
  }
  return issues;
}

/** Every problem with the ids, checked against `operation`'s path parameters, or none. */
export function pathIssues(operation: OperationInput, ids: PathIds): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const name of ['accountId', 'appId', 'webhookId'] as const) {
    if (!(name in ids)) continue;
    const value = ids[name];
    if (value === undefined && name !== 'webhookId') continue;
    if (typeof value !== 'string') {
      issues.push({ path: name, message: `must be a string, not ${describeType(value)}` });
      continue;
    }
    // Encoded or not, an empty, `.` or `..` segment would change which URL is called.
    if (value === '' || value === '.' || value === '..') {
      issues.push({ path: name, message: 'must not be empty, "." or ".."' });
      continue;
    }
    // Whitespace or a control character in an id is a copy-paste slip; a lone surrogate cannot be
    // put in a URL at all.
    if (WHITESPACE_OR_CONTROL.test(value) || LONE_SURROGATE.test(value)) {
      issues.push({
        path: name,
        message:
          'must not contain whitespace, control characters or broken Unicode (lone surrogates)',
      });
      continue;
    }
    const schema = operation.path[PARAMETER_OF[name]];
    if (schema) check(schema, value, name, operation.formats, issues);
  }
  return issues;
}

/**
 * The body exactly as it will be sent: serialised once (so `toJSON`, inherited and non-enumerable
 * fields are resolved as JSON.stringify resolves them) and parsed back, so what is validated is
 * what is sent. Issues are added to `issues` when it cannot be serialised.
 */
export function serialiseBody(
  value: unknown,
  issues: ValidationIssue[],
): { json: string; sent: unknown } | undefined {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (error) {
    issues.push({
      path: 'body',
      message: `cannot be sent as JSON (${error instanceof Error ? error.message : String(error)}): pass plain data`,
    });
    return undefined;
  }
  if (json === undefined) {
    issues.push({ path: 'body', message: `must be an object (got ${describeType(value)})` });
    return undefined;
  }
  return { json, sent: JSON.parse(json) };
}

/** What a call brings besides its body: its options (and their ids and limits) and its id. */
function callIssues(
  operation: OperationInput,
  options: unknown,
  webhookId: unknown,
  issues: ValidationIssue[],
): void {
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    issues.push({ path: 'options', message: `must be an object, not ${describeType(options)}` });
  } else if (options !== undefined) {
    const { signal, pruneDuplicates, accountId, appId } = options as Record<string, unknown>;
    if (pruneDuplicates !== undefined && typeof pruneDuplicates !== 'boolean') {
      issues.push({ path: 'pruneDuplicates', message: 'must be true or false' });
    }
    if (
      signal !== undefined &&
      !(typeof AbortSignal !== 'undefined' && signal instanceof AbortSignal)
    ) {
      issues.push({ path: 'signal', message: 'must be an AbortSignal' });
    }
    issues.push(...pathIssues(operation, { accountId, appId }), ...limitIssues(options as Limits));
  }
  // The id of a by-id call is checked even when undefined: the call needs it.
  if (operation.path.webhook_id) issues.push(...pathIssues(operation, { webhookId }));
}

/**
 * Throws ValidationError (naming the method) when the options, the id or the body are wrong;
 * returns the body serialised, to be sent as it is. The client's own settings were checked when
 * it was created: a call checks only what it brings.
 */
export function assertValidInput<B>(
  method: string,
  operation: OperationInput,
  options: unknown,
  webhookId: unknown,
  body: { value: B },
): { json: string; sent: B };
export function assertValidInput(
  method: string,
  operation: OperationInput,
  options: unknown,
  webhookId?: unknown,
): undefined;
export function assertValidInput(
  method: string,
  operation: OperationInput,
  options: unknown,
  webhookId?: unknown,
  body?: { value: unknown },
): { json: string; sent: unknown } | undefined {
  const issues: ValidationIssue[] = [];
  callIssues(operation, options, webhookId, issues);
  const serialised = body ? serialiseBody(body.value, issues) : undefined;
  if (serialised && operation.body) {
    check(operation.body, serialised.sent, 'body', operation.formats, issues);
  }
  if (issues.length > 0) throw new ValidationError(issues, `Invalid input to webhooks.${method}`);
  return serialised;
}
