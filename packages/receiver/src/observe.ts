// What a service sees of each delivery without any telemetry package: the `onOutcome` hook, and a
// configuration mistake logged once with its fix. Spans and metrics come from a `DeliveryTelemetry`
// (OpenTelemetry's is `@realtimekit-webhooks/receiver/otel`), so an app that does not use one
// carries none of its code. Never in any of it: the payload, the signature, the URL secret.
import { safely } from '@realtimekit-webhooks/rules';
import { monotonicNow } from './clock.js';
import type { Delivery } from './delivery.js';
import type { HandleResult } from './handle.js';
import type { WebhookReceiverOptions } from './settings.js';

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

/**
 * Spans and metrics for deliveries, made by `openTelemetry()` (`@realtimekit-webhooks/receiver/otel`).
 * What it is told of each delivery is spelled out here rather than named: it is the receiver's
 * protocol with that entry, not a type users write.
 */
export interface DeliveryTelemetry {
  /** Starts watching one delivery, or undefined when nothing is to be reported now. */
  watch():
    | {
        /** The delivery verified. */
        verified(delivery: Delivery): void;
        /** Runs the handler (in a span of its own, so its calls nest under it). */
        runHandler<T>(eventName: string, run: () => Promise<T>): Promise<T>;
        /** A store step took `seconds`. */
        storeStep(step: string, seconds: number): void;
        /** The answer, and how long the handler ran (seconds) when it did. */
        answered(result: HandleResult, handlerSeconds: number | undefined): void;
      }
    | undefined;
}

/** Watching one delivery (see `DeliveryTelemetry`). */
export type DeliveryWatch = NonNullable<ReturnType<DeliveryTelemetry['watch']>>;

/** Where `import '@realtimekit-webhooks/receiver/otel'` registers OpenTelemetry for every receiver. */
export const TELEMETRY_SLOT = Symbol.for('@realtimekit-webhooks/receiver telemetry');

/** The receiver's options for seeing what happens. */
export type ObservabilityOptions = Pick<
  WebhookReceiverOptions,
  'onOutcome' | 'logger' | 'telemetry'
>;

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

/** The receiver's watching, made once with its options. */
export interface Observer {
  readonly logger: { error(line: string): unknown };
  /** Starts watching one delivery. */
  start(): Observation;
}

/** One delivery being watched. */
export interface Observation {
  verified(delivery: Delivery): void;
  /** Runs the handler, timing it (in a span of its own when telemetry is on). */
  runHandler<T>(eventName: string, run: () => Promise<T>): Promise<T>;
  /** Times a store step. */
  storeStep<T>(step: string, run: () => Promise<T>): Promise<T>;
  /** What went wrong, in words with the fix, for the log (a mistake is logged once per cause). */
  explain(detail: string): void;
  /** The answer is known: telemetry told, `onOutcome` called, a mistake logged once. */
  answered(result: HandleResult): void;
}

export function observer(options: ObservabilityOptions): Observer {
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
      const telemetry =
        options.telemetry ??
        (globalThis as { [TELEMETRY_SLOT]?: DeliveryTelemetry })[TELEMETRY_SLOT];
      const watch = telemetry?.watch();
      let delivery: Delivery | undefined;
      let handlerMs: number | undefined;
      let detail: string | undefined;
      return {
        verified(verified) {
          delivery = verified;
          watch?.verified(verified);
        },
        async runHandler(eventName, run) {
          const began = monotonicNow();
          try {
            return await (watch ? watch.runHandler(eventName, run) : run());
          } finally {
            handlerMs = monotonicNow() - began;
          }
        },
        async storeStep(step, run) {
          if (!watch) return run();
          const began = monotonicNow();
          try {
            return await run();
          } finally {
            watch.storeStep(step, (monotonicNow() - began) / 1000);
          }
        },
        explain(words) {
          detail = words;
        },
        answered(result) {
          const outcome = result.body;
          watch?.answered(result, handlerMs === undefined ? undefined : handlerMs / 1000);
          if (MISTAKES.has(outcome) && detail) {
            // The error's own words begin with the reason, already said once in the line.
            const words = detail.startsWith(`${outcome}: `)
              ? detail.slice(outcome.length + 2)
              : detail;
            logOnce(`rtk-webhooks: deliveries are answered ${result.status} ${outcome}: ${words}`);
          }
          const hook = options.onOutcome;
          if (!hook) return;
          const told: DeliveryOutcome = {
            outcome,
            status: result.status,
            eventName: delivery?.eventName,
            deliveryId: delivery?.id,
            webhookId: delivery?.webhookId,
            durationMs: monotonicNow() - startedAt,
            handlerMs,
          };
          safely(() => hook(told));
        },
      };
    },
  };
}
