import type { WebhookEvent, WebhookPayloadFor } from '@realtimekit-webhooks/types';

interface DeliveryBase {
  /** The delivery's id (`rtk-uuid`); a retried delivery keeps it. */
  id: string;
  /** The webhook configuration that fired (`rtk-webhook-id`). */
  webhookId: string;
  /** The event name exactly as the payload gives it. */
  eventName: string;
  /** True when this `id` was seen before: RealtimeKit retried it. */
  duplicate: boolean;
}

/** A verified delivery of an event the spec describes; `payload` is typed by `event`. */
export type KnownDelivery = {
  [E in WebhookEvent]: DeliveryBase & { event: E; payload: WebhookPayloadFor<E> };
}[WebhookEvent];

/** The body of an event this version does not know yet: an object with an `event` name. */
export type UnknownPayload = { event: string; [field: string]: unknown };

/** A verified delivery of an event newer than this package's spec. It is kept, not dropped. */
export interface UnknownDelivery extends DeliveryBase {
  event: 'unknown';
  payload: UnknownPayload;
}

/** A verified delivery. `switch (delivery.event)` narrows `payload`. */
export type Delivery = KnownDelivery | UnknownDelivery;
