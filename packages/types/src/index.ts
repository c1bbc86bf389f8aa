/**
 * Types of the Cloudflare RealtimeKit webhooks API, generated from spec/realtimekit-webhooks.yaml.
 * `paths` and `operations` describe every operation; `Webhook`, `WebhookEvent`, `WebhookRequest`
 * and the other named exports are the spec's component schemas; `webhooks` describes deliveries
 * and `WebhookPayloadFor<'meeting.ended'>` one delivery's body. `WEBHOOK_EVENTS` is the one
 * runtime value: every event name, in the spec's order. `FetchLike`, `ValidationIssue` and the
 * telemetry shapes are what the client's and the receiver's options and errors are written in.
 * Types only otherwise: the checks and rules built from the same spec live inside the packages
 * that use them.
 *
 * @packageDocumentation
 */

export type { FetchLike } from './fetch-like.js';
export * from './openapi.gen.js';
export type { WebhookPayload, WebhookPayloadFor } from './payload.js';
export type {
  ContextLike,
  MeterProviderLike,
  SpanLike,
  TelemetryAttributes,
  TelemetryOptions,
  TracerProviderLike,
} from './telemetry.js';
export type { ValidationIssue } from './validation-issue.js';
