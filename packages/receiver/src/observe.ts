// What a service sees of each delivery: one OpenTelemetry span (when a tracer provider is
// registered or given) with the handler's work as a child span, the deliveries counter and the
// handler and store latencies, the `onOutcome` hook, and a configuration mistake logged once with
// its fix. Never in any of them: the payload, the signature, the URL secret.
import {
  type MetricSpec,
  type Reporter,
  reporterFor,
  SPAN_KIND,
  SPAN_STATUS_ERROR,
  type SpanLike,
  type TelemetryOptions,
} from '@realtimekit-webhooks/types';
import { monotonicNow } from './clock.js';
import type { Delivery } from './delivery.js';
import type { HandleResult } from './handle.js';

/** What `onOutcome` is told of each delivery `handle` answered, once. Never the payload. */
export interface DeliveryOutcome {
  /** The word answered: `handled`, `duplicate`, `busy`, `ignored`, `handler-failed`, ... or a refusal reason. */
  readonly outcome: string;
  /** The HTTP status answered. */
  readonly status: number;
  /** The event name, once the delivery verified. */
  readonly eventName?: string | undefined;
  /** `rtk-uuid`, once the delivery verified. */
  readonly deliveryId?: string | undefined;
  /** `rtk-webhook-id`, once the delivery verified. */
  readonly webhookId?: string | undefined;
  /** From the start of `handle` to the answer, in milliseconds. */
  readonly durationMs: number;
  /** How long the handler ran, in milliseconds, when it ran. */
  readonly handlerMs?: number | undefined;
}

/** Options of `createWebhookReceiver` for seeing what happens. */
export interface ObservabilityOptions {
  /** Called once per delivery `handle` answers. A hook that throws or rejects changes nothing. */
  onOutcome?: ((outcome: DeliveryOutcome) => unknown) | undefined;
  /**
   * Where handler failures and configuration mistakes (a body read before the receiver, a URL
   * without the secret, a key URL that cannot be reached, a store that fails) are written, one line
   * each, a mistake once per cause. Default: `console`.
   */
  logger?: { error(line: string): unknown } | undefined;
  /** Report through these instead of the providers registered with OpenTelemetry's API. */
  telemetry?: TelemetryOptions | undefined;
}

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
type Metric = keyof typeof METRICS;

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
/** Refusals that mean the service is set up wrong: logged once per cause, with the fix. */
const MISTAKES = new Set([
  'body-consumed',
  'secret-unchecked',
  'wrong-secret',
  'key-unavailable',
  'store-unavailable',
]);
/** At most this many distinct mistakes are remembered as logged (then the oldest is forgotten). */
const MAX_LOGGED = 64;

/** The receiver's reporting, made once with its options. */
export interface Observer {
  readonly logger: { error(line: string): unknown };
  /** Starts watching one delivery. */
  start(): Observation;
}

/** One delivery being watched. */
export interface Observation {
  /** The delivery verified: name the span after its event. */
  verified(delivery: Delivery): void;
  /** Runs the handler in a child span (its own database calls nest under it), timing it. */
  runHandler<T>(eventName: string, run: () => Promise<T>): Promise<T>;
  /** Times a store step. */
  storeStep<T>(step: string, run: () => Promise<T>): Promise<T>;
  /** What went wrong, in words with the fix, for the log (a mistake is logged once per cause). */
  explain(detail: string): void;
  /** The answer is known: ends the span, counts it, tells `onOutcome`, logs a mistake once. */
  answered(result: HandleResult): void;
}

/** Runs a hook, so that neither a throw nor a rejection reaches the caller or the process. */
export function safely(hook: () => unknown): void {
  try {
    const returned = hook();
    if (returned instanceof Promise) returned.catch(() => undefined);
  } catch {
    // A failing hook changes no answer.
  }
}

export function observer(options: ObservabilityOptions): Observer {
  const reporter = reporterFor<Metric>(
    '@realtimekit-webhooks/receiver',
    METRICS,
    options.telemetry,
  );
  const logger = options.logger ?? console;
  const logged = new Set<string>();
  const logOnce = (line: string) => {
    if (logged.has(line)) return;
    if (logged.size >= MAX_LOGGED) logged.delete(logged.values().next().value as string);
    logged.add(line);
    safely(() => logger.error(line));
  };
  return {
    logger,
    start() {
      const startedAt = monotonicNow();
      const report: Reporter<Metric> | undefined = reporter();
      const span: SpanLike | undefined = report?.startSpan('process delivery', SPAN_KIND.CONSUMER, {
        'messaging.system': 'realtimekit',
        'messaging.operation.type': 'process',
        'messaging.operation.name': 'process',
      });
      let delivery: Delivery | undefined;
      let handlerMs: number | undefined;
      let detail: string | undefined;
      return {
        verified(verified) {
          delivery = verified;
          if (!span) return;
          span.updateName(`process ${verified.eventName}`);
          span.setAttribute('messaging.message.id', verified.id);
          span.setAttribute('messaging.destination.name', verified.eventName);
          span.setAttribute('realtimekit.webhook.id', verified.webhookId);
        },
        async runHandler(eventName, run) {
          const child = report?.startSpan(`handle ${eventName}`, SPAN_KIND.INTERNAL, {}, span);
          const began = monotonicNow();
          try {
            return await (report ? report.withSpan(child, run) : run());
          } catch (error) {
            child?.setStatus({ code: SPAN_STATUS_ERROR, message: 'the handler failed' });
            throw error;
          } finally {
            handlerMs = monotonicNow() - began;
            child?.end();
          }
        },
        async storeStep(step, run) {
          if (!report) return run();
          const began = monotonicNow();
          try {
            return await run();
          } finally {
            report.record('realtimekit.webhooks.store.duration', (monotonicNow() - began) / 1000, {
              'realtimekit.store.step': step,
            });
          }
        },
        explain(words) {
          detail = words;
        },
        answered(result) {
          const outcome = result.body;
          const event = delivery?.eventName;
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
          report?.record('realtimekit.webhooks.deliveries', 1, attributes);
          if (handlerMs !== undefined)
            report?.record('realtimekit.webhooks.handler.duration', handlerMs / 1000, attributes);
          if (MISTAKES.has(outcome) && detail) {
            logOnce(`rtk-webhooks: deliveries are answered ${result.status} ${outcome}: ${detail}`);
          }
          const hook = options.onOutcome;
          if (hook) {
            const told: DeliveryOutcome = {
              outcome,
              status: result.status,
              eventName: event,
              deliveryId: delivery?.id,
              webhookId: delivery?.webhookId,
              durationMs: monotonicNow() - startedAt,
              handlerMs,
            };
            safely(() => hook(told));
          }
        },
      };
    },
  };
}
