/**
 * Types of the Cloudflare RealtimeKit webhooks API, generated from spec/realtimekit-webhooks.yaml.
 * `paths` and `operations` describe every operation; `Webhook`, `WebhookEvent`, `WebhookRequest`
 * and the other named exports are the spec's component schemas.
 */
export * from './openapi.gen.js';
