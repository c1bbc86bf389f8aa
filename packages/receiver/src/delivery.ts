import type { ValidationIssue, WebhookEvent, WebhookPayloadFor } from '@realtimekit-webhooks/types';

/** What every delivery carries besides its event and payload. */
export interface DeliveryBase {
  /** The delivery's id (`rtk-uuid`); a retried delivery keeps it. Not signed. */
  id: string;
  /** The webhook configuration that fired (`rtk-webhook-id`). Not signed. */
  webhookId: string;
  /** The event name exactly as the payload gives it. */
  eventName: string;
  /**
   * Identifies the signed body (the first 384 bits of its signature, base64): the same for every
   * copy of this delivery, however its unsigned headers were changed, so it identifies a replay.
   */
  replayKey: string;
  /**
   * True when this delivery was seen before: the same `rtk-uuid` (RealtimeKit retried it) or the
   * same signed body (a replay under a fresh `rtk-uuid`).
   */
  duplicate: boolean;
}

/** A verified delivery whose payload matches its event's schema; `payload` is typed by `event`. */
export type KnownDelivery = {
  [E in WebhookEvent]: DeliveryBase & { event: E; payload: WebhookPayloadFor<E> };
}[WebhookEvent];

/** A body as JSON gives it: an object with an `event` name. */
export type UnknownPayload = { event: string; [field: string]: unknown };

/** A verified delivery of an event newer than this package's spec. It is kept, not dropped. */
export interface UnknownDelivery extends DeliveryBase {
  event: 'unknown';
  payload: UnknownPayload;
}

/**
 * A verified delivery of a known event whose payload does not match the spec's schema for it.
 * It is authentic, so it is handed over (a 4xx would lose it for good), but untyped: `issues` says
 * what differs, `eventName` which event it claims to be.
 */
export interface MismatchedDelivery extends DeliveryBase {
  event: 'mismatch';
  eventName: WebhookEvent;
  payload: UnknownPayload;
  issues: readonly ValidationIssue[];
}

/** A verified delivery. `switch (delivery.event)` narrows `payload` only when the data matches. */
export type Delivery = KnownDelivery | UnknownDelivery | MismatchedDelivery;
