/**
 * Types of the Cloudflare RealtimeKit webhooks API, generated from spec/realtimekit-webhooks.yaml.
 * `paths` and `operations` describe every operation; `Webhook`, `WebhookEvent`, `WebhookRequest`
 * and the other named exports are the spec's component schemas; `webhooks` describes deliveries.
 * `checkSchema` with an operation's input (`addWebhookInput`, ...) or `deliveryPayloads` validates a value
 * against the spec's own schemas (generated from it, as the mock validates); `deliveryExamples`
 * holds the spec's example body of each event. `FetchLike`, the
 * HTTPS-or-loopback rule, the redirect rule and the bounded body reader are what the client, the
 * receiver and the CLI share about HTTP.
 *
 * @packageDocumentation
 */

export { deliveryExamples } from './examples.gen.js';
export type { FetchLike } from './fetch-like.js';
export { httpsOrLoopbackProblem, isLoopbackHost } from './https-or-loopback.js';
export * from './openapi.gen.js';
export type { WebhookPayload, WebhookPayloadFor } from './payload.js';
export { bytesCollector, type ReadDeadline, readBoundedStream } from './read-bounded.js';
export { isRedirectStatus } from './redirect-status.js';
export { safely } from './run-hook.js';
export {
  checkSchema,
  type FormatName,
  type Formats,
  type OperationInput,
  type SchemaNode,
  type ValidationIssue,
} from './schema-check.js';
export * from './schemas.gen.js';
export {
  type ContextLike,
  type MeterProviderLike,
  type MetricSpec,
  type Reporter,
  reporterFor,
  SPAN_KIND,
  SPAN_STATUS_ERROR,
  type SpanLike,
  type TelemetryAttributes,
  type TelemetryOptions,
  type TracerProviderLike,
} from './telemetry.js';
export {
  maskUrlSecret,
  URL_SECRET_PARAM,
  urlSecretProblem,
  withUrlSecret,
} from './url-secret.js';
