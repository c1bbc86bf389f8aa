// Checks a verified payload against its event's schema from the spec, so a handler is never told a
// field exists that the data does not have.

import {
  checkSchema,
  deliveryPayloads,
  payloadFormats as formats,
} from '@realtimekit-webhooks/rules';
import type { ValidationIssue, WebhookEvent } from '@realtimekit-webhooks/types';

/** Every way `payload` differs from the spec's schema for `event`, or none. */
export function payloadIssues(event: WebhookEvent, payload: unknown): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  checkSchema(deliveryPayloads[event], payload, 'payload', formats, issues);
  return issues;
}
