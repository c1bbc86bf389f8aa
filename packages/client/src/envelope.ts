import type { Webhook } from '@realtimekit-webhooks/types';
import { UnexpectedResponseError } from './errors.js';
import type { ParsedResponse } from './request.js';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// A light check of what the client hands back: enough that a user never gets `undefined` where the
// spec promises a webhook. Unknown extra fields pass, so additions to the API never break callers.
function isWebhook(value: unknown): value is Webhook {
  return (
    isRecord(value) &&
    typeof value.id === 'string' &&
    typeof value.name === 'string' &&
    typeof value.url === 'string' &&
    Array.isArray(value.events)
  );
}

/** The webhook inside a `{ data: Webhook, success }` envelope. */
export function unwrapWebhook({ status, body }: ParsedResponse): Webhook {
  if (isRecord(body) && isWebhook(body.data)) return body.data;
  throw new UnexpectedResponseError(status, body, '`{ data: Webhook, success }`');
}
