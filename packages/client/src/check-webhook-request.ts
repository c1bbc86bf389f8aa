// The public check of a webhook's settings, in a module of its own: the client's declarations then
// show users this function alone, not the input checks' internals (whose types are the private
// rules package's).
import { addWebhookInput, checkSchema as check } from '@realtimekit-webhooks/rules';
import type { ValidationIssue } from '@realtimekit-webhooks/types';
import { serialiseBody } from './input-checks.js';

/**
 * Every way `body` breaks the spec's WebhookRequest (for create, replace and ensure), without
 * sending anything: for checking configuration files before a deploy. Paths start at `body`.
 */
export function checkWebhookRequest(body: unknown): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const serialised = serialiseBody(body, issues);
  if (serialised && addWebhookInput.body) {
    check(addWebhookInput.body, serialised.sent, 'body', addWebhookInput.formats, issues);
  }
  return issues;
}
