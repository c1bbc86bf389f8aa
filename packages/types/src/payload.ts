// Delivery bodies by event, read from the spec's `webhooks:` section. A module of its own so the
// generated examples can name their type without importing the package's index (no import circle).
import type { webhooks } from './openapi.gen.js';

/** The body RealtimeKit POSTs for event `E`, from the spec's `webhooks:` section. */
export type WebhookPayloadFor<E extends keyof webhooks> =
  webhooks[E]['post']['requestBody']['content']['application/json'];

/** Any delivery body; switch on `event` to narrow it. */
export type WebhookPayload = { [E in keyof webhooks]: WebhookPayloadFor<E> }[keyof webhooks];
