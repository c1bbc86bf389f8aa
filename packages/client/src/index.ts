/**
 * A small, typed client for Cloudflare RealtimeKit webhooks. The client is hand-written; its types
 * and input checks are generated from the API's OpenAPI description (`@realtimekit-webhooks/types`).
 * `@realtimekit-webhooks/client/operations` has the same operations as standalone functions (a
 * bundle then carries only those it calls); `@realtimekit-webhooks/client/raw` has the typed
 * openapi-fetch client for every path of the spec.
 *
 * @packageDocumentation
 */

export {
  WEBHOOK_EVENTS,
  type Webhook,
  type WebhookEvent,
  type WebhookRequest,
} from '@realtimekit-webhooks/types';
export type { Backoff } from './backoff.js';
export { checkWebhookRequest } from './check-webhook-request.js';
export {
  createRealtimeKitClient,
  type RealtimeKitClient,
  type WebhooksResource,
} from './client.js';
export type { RealtimeKitClientOptions } from './config.js';
export { type EnsurePlan, type EnsureResult, planEnsure } from './ensure.js';
export {
  APIError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  ConnectionError,
  InternalServerError,
  NotFoundError,
  OutcomeUnknownError,
  PermissionDeniedError,
  RateLimitError,
  RealtimeKitError,
  RequestNotSentError,
  ResponseTooLargeError,
  TimeoutError,
  UnexpectedResponseError,
  UnprocessableEntityError,
  UserAbortError,
  ValidationError,
  type ValidationIssue,
} from './errors.js';
export type {
  AttemptInfo,
  AttemptResult,
  ClientTelemetry,
} from './observe.js';
export type { EnsureOptions, RequestOptions, WebhookPatch } from './options.js';
export { withUrlSecret } from './url-secret.js';
