import type { Webhook, WebhookEvent } from '@realtimekit-webhooks/types';
import { UnexpectedResponseError } from './errors.js';
import { isRecord } from './is-record.js';
import type { ParsedResponse } from './request.js';

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

function dataOf({ status, body }: ParsedResponse, expected: string): unknown {
  if (isRecord(body) && 'data' in body) return body.data;
  throw new UnexpectedResponseError(status, body, expected);
}

/** The webhook inside a `{ data: Webhook, success }` envelope. */
export function unwrapWebhook(response: ParsedResponse): Webhook {
  const expected = '`{ data: Webhook, success }`';
  const data = dataOf(response, expected);
  if (isWebhook(data)) return data;
  throw new UnexpectedResponseError(response.status, response.body, expected);
}

/** The webhooks inside a `{ data: Webhook[], success }` envelope. */
export function unwrapWebhookList(response: ParsedResponse): Webhook[] {
  const expected = '`{ data: Webhook[], success }`';
  const data = dataOf(response, expected);
  if (Array.isArray(data) && data.every(isWebhook)) return data;
  throw new UnexpectedResponseError(response.status, response.body, expected);
}

/** The event names inside a `{ data: string[], success }` envelope (names not yet in the spec kept). */
export function unwrapEventList(response: ParsedResponse): WebhookEvent[] {
  const expected = '`{ data: WebhookEvent[], success }`';
  const data = dataOf(response, expected);
  if (Array.isArray(data) && data.every((item) => typeof item === 'string')) {
    return data as WebhookEvent[];
  }
  throw new UnexpectedResponseError(response.status, response.body, expected);
}
