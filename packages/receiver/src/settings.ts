// A receiver's options, checked once and resolved into one frozen object that the verify and
// handle paths read. Every option is checked here, in one error style: the option's name, what
// it must be, and what was given is never echoed (a secret may be among them).
import { MAX_TIMER_MS } from '@realtimekit-webhooks/rules';
import type { FetchLike } from '@realtimekit-webhooks/types';
import { appBinding } from './app-binding.js';
import { DEFAULT_MAX_BODY_BYTES } from './body-limit.js';
import type { Delivery } from './delivery.js';
import {
  type DeliveryOutcome,
  type DeliveryTelemetry,
  type Observer,
  observer,
} from './observe.js';
import {
  DEFAULT_LEASE_MS,
  DEFAULT_SEEN_TTL_MS,
  memorySeenStore,
  type SeenStore,
} from './seen-store.js';
import { FETCH_TIMEOUT_MS, type KeyStore, keyStore } from './signing-key.js';

/** How long a body may take to arrive by default. */
const DEFAULT_BODY_TIMEOUT_MS = 10_000;
/** How long a handler may run by default before its delivery is answered 503 and its signal aborts. */
export const DEFAULT_HANDLER_TIMEOUT_MS = 60_000;

/** Options of `createWebhookReceiver`. */
export interface WebhookReceiverOptions {
  // Where the signing key comes from.
  /** An SPKI PEM string or an imported CryptoKey. When set, nothing is fetched. */
  publicKey?: string | CryptoKey | undefined;
  /** Where to fetch the key. Default: the URL the spec documents. HTTPS unless loopback. */
  keyUrl?: string | undefined;
  /** The `fetch` to get the key with. Default: `globalThis.fetch`. */
  fetch?: FetchLike | undefined;
  /**
   * How long fetching the key may take, answer and body, in milliseconds; past it the deliveries
   * waiting for it get 503 (`key-unavailable`). Default: 10 seconds.
   */
  keyFetchTimeoutMs?: number | undefined;

  // Deliveries bound to your app (app-binding.ts).
  /**
   * The secret your webhook's URL carries (`withUrlSecret(url, secret)` when registering it);
   * several while rotating one. A delivery without it is refused (403 `wrong-secret`).
   */
  urlSecret?: string | readonly string[] | undefined;
  /** Your webhooks' ids: a delivery whose `rtk-webhook-id` is not one is refused (403). */
  webhookIds?: readonly string[] | undefined;
  /**
   * Your RealtimeKit organization ids: a delivery whose signed payload names another organization
   * (or none) is refused (403 `foreign-organization`).
   */
  organizationIds?: readonly string[] | undefined;

  // Seeing what happens (observe.ts).
  /** Called once per delivery `handle` answers. A hook that throws or rejects changes nothing. */
  onOutcome?: ((outcome: DeliveryOutcome) => unknown) | undefined;
  /**
   * Where handler failures and configuration mistakes (a body read before the receiver, a URL
   * without the secret, a key URL that cannot be reached, a store that fails) are written, one line
   * each, a mistake once per cause. Default: `console`.
   */
  logger?: { error(line: string): unknown } | undefined;
  /**
   * Spans and metrics: `openTelemetry({ tracerProvider, meterProvider })` from
   * `@realtimekit-webhooks/receiver/otel`. Default: what that entry registered when imported
   * (OpenTelemetry's global providers), else none.
   */
  telemetry?: DeliveryTelemetry | undefined;

  // Exactly once, and the limits of a delivery.
  /**
   * Where handled deliveries are kept; `false` turns de-duplication off. Default: in memory, for
   * one process. Replicas share one store: `redisSeenStore`, `durableObjectSeenStore`, or an
   * inbox on your own database (`postgresInbox`, `d1Inbox`) for effects that happen exactly once.
   */
  seen?: SeenStore | false | undefined;
  /** How long a handled delivery is remembered, in milliseconds. Default: 24 hours. */
  seenTtlMs?: number | undefined;
  /**
   * How long `handle`'s claim on a delivery lasts without renewal, in milliseconds. It is renewed
   * while the handler runs; a replica that dies leaves a claim that frees itself within this.
   * Default: 30 seconds. At most 2^31 - 1 (what a timer holds).
   */
  leaseMs?: number | undefined;
  /**
   * How long a handler may run, in milliseconds. Past it the delivery is answered 503
   * (`handler-timeout`, so RealtimeKit retries), `delivery.signal` aborts, the claim is no longer
   * renewed, and the handler's late completion changes nothing. Default: 60 seconds.
   */
  handlerTimeoutMs?: number | undefined;
  /**
   * Called when a `handle` handler throws (the delivery is then answered 500, so RealtimeKit
   * retries). Default: one line on the `logger` (`console`) with the delivery's id, event and the
   * error's message, never the payload. One that throws or rejects changes nothing.
   */
  onError?: ((error: unknown, delivery: Delivery) => unknown) | undefined;
  /** Larger bodies are refused (413) as soon as reading crosses this. Default: 1 MiB. */
  maxBodyBytes?: number | undefined;
  /**
   * A body still arriving after this many milliseconds is refused with 503 (`body-timeout`), so
   * a sender that stalls cannot hold a request open. Default: 10 seconds.
   */
  bodyTimeoutMs?: number | undefined;
}

/** Everything the verify and handle paths read, resolved once. */
export interface ReceiverSettings {
  readonly keys: KeyStore;
  readonly binding: ReturnType<typeof appBinding>;
  readonly seen: SeenStore | undefined;
  readonly seenTtlMs: number;
  readonly leaseMs: number;
  readonly handlerTimeoutMs: number;
  readonly maxBodyBytes: number;
  readonly bodyTimeoutMs: number;
  readonly onError: (error: unknown, delivery: Delivery) => unknown;
  readonly observer: Observer;
}

/** `value`, or `fallback` when unset; anything but a whole number from 1 to `max` names `option`. */
function whole(option: string, value: number | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value <= 0 || value > max) {
    const unit = option.endsWith('Ms') ? 'milliseconds' : 'bytes';
    throw new TypeError(`${option} must be a whole number of ${unit} from 1 to ${max}`);
  }
  return value;
}

/** Checks every option and resolves the defaults; throws TypeError naming the first bad option. */
export function resolveSettings(options: WebhookReceiverOptions): ReceiverSettings {
  const seenTtlMs = whole(
    'seenTtlMs',
    options.seenTtlMs,
    DEFAULT_SEEN_TTL_MS,
    Number.MAX_SAFE_INTEGER,
  );
  const watching = observer(options);
  const keyFetchTimeoutMs = whole(
    'keyFetchTimeoutMs',
    options.keyFetchTimeoutMs,
    FETCH_TIMEOUT_MS,
    MAX_TIMER_MS,
  );
  return Object.freeze({
    // Keys are kept as long as deliveries are remembered: RealtimeKit's retries of a delivery
    // signed before a rotation keep coming for that long.
    keys: keyStore(options, { keepKeysMs: seenTtlMs, fetchTimeoutMs: keyFetchTimeoutMs }),
    binding: appBinding(options),
    seen: options.seen === false ? undefined : (options.seen ?? memorySeenStore()),
    seenTtlMs,
    leaseMs: whole('leaseMs', options.leaseMs, DEFAULT_LEASE_MS, MAX_TIMER_MS),
    handlerTimeoutMs: whole(
      'handlerTimeoutMs',
      options.handlerTimeoutMs,
      DEFAULT_HANDLER_TIMEOUT_MS,
      MAX_TIMER_MS,
    ),
    maxBodyBytes: whole(
      'maxBodyBytes',
      options.maxBodyBytes,
      DEFAULT_MAX_BODY_BYTES,
      Number.MAX_SAFE_INTEGER,
    ),
    bodyTimeoutMs: whole(
      'bodyTimeoutMs',
      options.bodyTimeoutMs,
      DEFAULT_BODY_TIMEOUT_MS,
      MAX_TIMER_MS,
    ),
    onError:
      options.onError ??
      ((error: unknown, delivery: Delivery) => logHandlerError(watching.logger, error, delivery)),
    observer: watching,
  });
}

/** The default `onError`: what failed and where, without the payload (it may hold personal data). */
function logHandlerError(logger: Observer['logger'], error: unknown, delivery: Delivery): void {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  logger.error(
    `rtk-webhooks: the handler of delivery ${delivery.id} (${delivery.eventName}) failed, answered 500 so RealtimeKit retries: ${message}`,
  );
}
