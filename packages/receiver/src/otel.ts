/**
 * OpenTelemetry for the receiver: one span per delivery and the deliveries' metrics, through the
 * providers a service registered with OpenTelemetry's API (or the ones it passes). Importing this
 * entry once turns it on for every receiver:
 *
 *   import '@realtimekit-webhooks/receiver/otel'; // beside your OpenTelemetry SDK's start()
 *
 * or pass `telemetry: openTelemetry({ tracerProvider, meterProvider })` to one receiver. Nothing
 * here imports `@opentelemetry/api`: the API keeps what a service registered on a global, read
 * at each delivery, so providers registered later count too. An app that does not import this
 * entry carries none of it.
 *
 * Spans: `process <event>` (kind CONSUMER; `process delivery` while not verified) with
 * `messaging.system` `realtimekit`, `messaging.operation.type` `process`, `messaging.message.id`
 * (rtk-uuid), `messaging.destination.name` (the event), `realtimekit.webhook.id`,
 * `realtimekit.delivery.outcome`, `http.response.status_code`, and `error.type` with an error status
 * when the handler or the store failed; `handle <event>` (INTERNAL) around your handler, so the
 * spans of its own calls nest under it. Metrics: `realtimekit.webhooks.deliveries`
 * (`{delivery}`, by outcome and event), `realtimekit.webhooks.handler.duration` (s),
 * `realtimekit.webhooks.store.duration` (s, by step). Never the payload, the signature or a secret.
 *
 * @packageDocumentation
 */

import {
  type MetricSpec,
  reporterFor,
  SPAN_KIND,
  SPAN_STATUS_ERROR,
} from '@realtimekit-webhooks/rules';
import type { TelemetryOptions } from '@realtimekit-webhooks/types';
import { type DeliveryTelemetry, TELEMETRY_SLOT } from './observe.js';

/** The receiver's metrics: names and units after OpenTelemetry's conventions. */
const METRICS = {
  'realtimekit.webhooks.deliveries': {
    kind: 'counter',
    unit: '{delivery}',
    description: 'Deliveries answered, by outcome and event.',
  },
  'realtimekit.webhooks.handler.duration': {
    kind: 'histogram',
    unit: 's',
    description: 'How long the handler ran, by outcome and event.',
  },
  'realtimekit.webhooks.store.duration': {
    kind: 'histogram',
    unit: 's',
    description: 'How long a seen-store step took, by step.',
  },
} as const satisfies Record<string, MetricSpec>;

/** Outcomes that are the service's fault or its store's: an error status on the span. */
const FAILED = new Set([
  'handler-failed',
  'handler-timeout',
  'store-unavailable',
  'key-unavailable',
  'body-consumed',
  'secret-unchecked',
  'internal-error',
]);

/**
 * Spans and metrics through `options`' providers, else the ones registered with OpenTelemetry's
 * API at each delivery (none registered: nothing is reported).
 */
export function openTelemetry(options?: TelemetryOptions): DeliveryTelemetry {
  const reporter = reporterFor('@realtimekit-webhooks/receiver', METRICS, options);
  return {
    watch() {
      const report = reporter();
      if (!report) return undefined;
      const span = report.startSpan('process delivery', SPAN_KIND.CONSUMER, {
        'messaging.system': 'realtimekit',
        'messaging.operation.type': 'process',
        'messaging.operation.name': 'process',
      });
      let event: string | undefined;
      return {
        verified(delivery) {
          event = delivery.eventName;
          span?.updateName(`process ${event}`);
          span?.setAttribute('messaging.message.id', delivery.id);
          span?.setAttribute('messaging.destination.name', event);
          span?.setAttribute('realtimekit.webhook.id', delivery.webhookId);
        },
        async runHandler(eventName, run) {
          const child = report.startSpan(`handle ${eventName}`, SPAN_KIND.INTERNAL, {}, span);
          try {
            return await report.withSpan(child, run);
          } catch (error) {
            child?.setStatus({ code: SPAN_STATUS_ERROR, message: 'the handler failed' });
            throw error;
          } finally {
            child?.end();
          }
        },
        storeStep(step, seconds) {
          report.record('realtimekit.webhooks.store.duration', seconds, {
            'realtimekit.store.step': step,
          });
        },
        answered(result, handlerSeconds) {
          const outcome = result.body;
          if (span) {
            span.setAttribute('realtimekit.delivery.outcome', outcome);
            span.setAttribute('http.response.status_code', result.status);
            if (FAILED.has(outcome)) {
              span.setAttribute('error.type', outcome);
              span.setStatus({ code: SPAN_STATUS_ERROR, message: outcome });
            }
            span.end();
          }
          const attributes = {
            'realtimekit.delivery.outcome': outcome,
            'realtimekit.event': event,
          };
          report.record('realtimekit.webhooks.deliveries', 1, attributes);
          if (handlerSeconds !== undefined)
            report.record('realtimekit.webhooks.handler.duration', handlerSeconds, attributes);
        },
      };
    },
  };
}

// Importing this entry turns OpenTelemetry on for every receiver of the process (or isolate).
(globalThis as { [TELEMETRY_SLOT]?: DeliveryTelemetry })[TELEMETRY_SLOT] ??= openTelemetry();
