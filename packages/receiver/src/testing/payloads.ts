// Delivery payloads for tests: the spec's example of each event as an object, with fresh ids so
// that every call is a new event, a partial override, and a check against the event's schema.

import {
  checkSchema,
  deliveryExamples,
  deliveryPayloads,
  payloadFormats,
} from '@realtimekit-webhooks/rules';
import type { ValidationIssue, WebhookEvent, WebhookPayloadFor } from '@realtimekit-webhooks/types';

/** An error naming what is wrong with a test delivery, before anything is sent. */
export class DeliveryInputError extends Error {
  override get name(): string {
    return 'DeliveryInputError';
  }
}

/** Fields to change in an example payload: nested objects are merged, anything else replaced. */
export type PayloadOverride<T> = {
  [K in keyof T]?: T[K] extends readonly unknown[]
    ? T[K]
    : T[K] extends object
      ? PayloadOverride<T[K]>
      : T[K];
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `value` with every UUID replaced by a new one, the same new one wherever the old one stood. */
function freshIds(value: unknown, replaced = new Map<string, string>()): unknown {
  if (typeof value === 'string' && UUID.test(value)) {
    let fresh = replaced.get(value);
    if (!fresh) {
      fresh = crypto.randomUUID();
      replaced.set(value, fresh);
    }
    return fresh;
  }
  if (Array.isArray(value)) return value.map((item) => freshIds(item, replaced));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, field]) => [key, freshIds(field, replaced)]),
    );
  }
  return value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function merged(base: unknown, override: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(override)) return override;
  const result: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    result[key] = value === undefined ? base[key] : merged(base[key], value);
  }
  return result;
}

/** `event`, checked to be one the spec describes. */
export function knownEvent(event: string): WebhookEvent {
  if (!Object.hasOwn(deliveryPayloads, event)) {
    throw new DeliveryInputError(
      `unknown event "${event}": expected one of ${Object.keys(deliveryPayloads).join(', ')}`,
    );
  }
  return event as WebhookEvent;
}

/** Throws a DeliveryInputError naming every way `payload` breaks the schema of `event`. */
export function checkPayload(event: WebhookEvent, payload: unknown): void {
  const issues: ValidationIssue[] = [];
  checkSchema(deliveryPayloads[event], payload, 'payload', payloadFormats, issues);
  if (issues.length > 0) {
    throw new DeliveryInputError(
      `the ${event} payload breaks the spec: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`,
    );
  }
}

/**
 * The spec's example payload of `event` as a new event: every id in it fresh (consistently, so
 * `meeting.id` and `recording.meetingId` still agree), then `override` merged in and checked.
 */
export function examplePayload<E extends WebhookEvent>(
  event: E,
  override?: PayloadOverride<WebhookPayloadFor<E>>,
): WebhookPayloadFor<E> {
  const payload = merged(freshIds(deliveryExamples[knownEvent(event) as E]), override ?? {});
  checkPayload(event, payload);
  return payload as WebhookPayloadFor<E>;
}
