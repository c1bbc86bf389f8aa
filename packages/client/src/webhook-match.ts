// How the client recognises "the same webhook": used to reconcile a create whose response was
// lost, and by ensure().
import type { Webhook, WebhookRequest } from '@realtimekit-webhooks/types';

/** True when `webhook` has the request's name, url, events (in any order) and enabled state. */
export function matchesRequest(webhook: Webhook, request: WebhookRequest): boolean {
  if (webhook.name !== request.name || webhook.url !== request.url) return false;
  if (webhook.enabled !== (request.enabled ?? true)) return false;
  const want = new Set(request.events);
  const have = new Set(webhook.events);
  return want.size === have.size && [...want].every((event) => have.has(event));
}

/** Oldest first: by `created_at`, then by `id`, so every replica orders them the same way. */
export function byAge(a: Webhook, b: Webhook): number {
  const age = Date.parse(a.created_at) - Date.parse(b.created_at);
  if (age !== 0 && !Number.isNaN(age)) return age;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
