// Checks a call's input against the spec before anything is sent. The schemas and the checker come
// from @realtimekit-webhooks/types (generated from the spec); the rules on path segments that the
// spec cannot express live here.
import {
  checkSchema as check,
  requestFormats as formats,
  pathParameters,
  requestBodies,
  type ValidationIssue,
} from '@realtimekit-webhooks/types';
import { ValidationError } from './errors.js';

/** The ids a call puts in its path, under the names users pass them by; absent ones are not checked. */
export interface PathIds {
  accountId?: string | undefined;
  appId?: string | undefined;
  webhookId?: string | undefined;
}

const PARAMETER_OF = { accountId: 'account_id', appId: 'app_id', webhookId: 'webhook_id' } as const;

/** The retry and timeout settings a client or a call may set; absent ones are not checked. */
export interface Limits {
  timeoutMs?: number | undefined;
  maxRetries?: number | undefined;
}

/** Every problem with the limits, or none. */
export function limitIssues({ timeoutMs, maxRetries }: Limits): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  // setTimeout's ceiling: a longer timer fires at once.
  if (timeoutMs !== undefined && !(timeoutMs > 0 && timeoutMs <= 2_147_483_647)) {
    issues.push({ path: 'timeoutMs', message: 'must be a positive number of milliseconds' });
  }
  if (maxRetries !== undefined && !(Number.isInteger(maxRetries) && maxRetries >= 0)) {
    issues.push({ path: 'maxRetries', message: 'must be a whole number, 0 or more' });
  }
  return issues;
}

/** Every problem with the ids, or none. */
export function pathIssues(ids: PathIds): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const name of ['accountId', 'appId', 'webhookId'] as const) {
    const value = ids[name];
    if (value === undefined) continue;
    check(pathParameters[PARAMETER_OF[name]], value, name, formats, issues);
    // Encoded or not, an empty, `.` or `..` segment would change which URL is called.
    if (value === '' || value === '.' || value === '..') {
      issues.push({ path: name, message: 'must not be empty, "." or ".."' });
    }
  }
  return issues;
}

/** Throws ValidationError (naming the method) when the ids, the limits or the body are wrong. */
export function assertValidInput(
  method: string,
  call: PathIds & Limits,
  body?: { operationId: keyof typeof requestBodies; value: unknown },
): void {
  const issues = [...pathIssues(call), ...limitIssues(call)];
  if (body) check(requestBodies[body.operationId], body.value, 'body', formats, issues);
  if (issues.length > 0) throw new ValidationError(issues, `Invalid input to webhooks.${method}`);
}

/**
 * Every way `body` breaks the spec's WebhookRequest (for create, replace and ensure), without
 * sending anything: for checking configuration files before a deploy. Paths start at `body`.
 */
export function checkWebhookRequest(body: unknown): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  check(requestBodies.addWebhook, body, 'body', formats, issues);
  return issues;
}
