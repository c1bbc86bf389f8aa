/**
 * Receive Cloudflare RealtimeKit webhook deliveries, in any runtime with WebCrypto: verify, claim, handle once.
 *
 * @packageDocumentation
 */

export type {
  ValidationIssue,
  WebhookEvent,
  WebhookPayload,
  WebhookPayloadFor,
} from '@realtimekit-webhooks/types';
export type {
  Delivery,
  DeliveryBase,
  KnownDelivery,
  MismatchedDelivery,
  UnknownDelivery,
  UnknownPayload,
} from './delivery.js';
export { type VerificationFailure, WebhookVerificationError } from './errors.js';
export type {
  DeliveryHandler,
  DeliveryHandlers,
  HandledDelivery,
  HandleResult,
  HandlingFacts,
} from './handle.js';
export type {
  DeliveryOutcome,
  DeliveryTelemetry,
} from './observe.js';
export {
  createWebhookReceiver,
  type HeaderSource,
  type RequestFacts,
  type WebhookReceiver,
  type WebhookReceiverOptions,
} from './receiver.js';
export {
  type ClaimResult,
  type CompleteResult,
  memorySeenStore,
  type SeenStore,
  type TransactionalSeenStore,
} from './seen-store.js';
