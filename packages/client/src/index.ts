/**
 * A small, typed client for Cloudflare RealtimeKit webhooks. The client is hand-written; its types
 * and input checks are generated from the API's OpenAPI description (`@realtimekit-webhooks/types`).
 */

export {
  API_BASE_URL,
  URL_SECRET_PARAM,
  WEBHOOK_EVENTS,
  type Webhook,
  type WebhookEvent,
  type WebhookRequest,
  withUrlSecret,
} from '@realtimekit-webhooks/types';
export { createRealtimeKitClient, type RealtimeKitClient } from './client.js';
export type { FetchLike, RealtimeKitClientOptions } from './config.js';
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
export { DEFAULT_MAX_RESPONSE_BYTES } from './guarded-fetch.js';
export { checkWebhookRequest } from './input-checks.js';
export { type Backoff, MAX_RETRY_AFTER_MS } from './retry.js';
export type {
  EnsureOptions,
  RequestOptions,
  WebhookPatch,
  WebhooksResource,
} from './webhooks.js';
