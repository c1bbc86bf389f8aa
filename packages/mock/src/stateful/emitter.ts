// RealtimeKit's sending side, as its docs describe it: an event goes to every enabled webhook of
// the app that subscribes to it, each as its own delivery (its own rtk-uuid); a 2xx is delivered,
// a 5xx or a network error is retried with backoff (same body, same rtk-uuid), and any other
// status is failed for good. Every attempt is logged.

import type { TestSigner } from '@realtimekit-webhooks/receiver/testing';
import {
  DeliveryInputError,
  type DeliveryResult,
  deliver,
  deliveryBody,
  examplePayload,
} from '@realtimekit-webhooks/receiver/testing';
import { maskUrlSecret } from '@realtimekit-webhooks/rules';
import type { WebhookEvent } from '@realtimekit-webhooks/types';
import { sleep } from './apply-fault.js';
import { inScope, type Scope, type ScopeFilter, type WebhookStore } from './store.js';

/** How deliveries are retried: `attempts` in all, waiting `firstDelayMs`, then twice as long each time. */
export interface RetryPolicy {
  attempts: number;
  firstDelayMs: number;
}

/** Short, so tests of retries stay fast; RealtimeKit's own counts and delays are not documented. */
export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, firstDelayMs: 100 };

/** One attempt to deliver one event to one webhook. */
export interface DeliveryAttempt {
  accountId: string;
  appId: string;
  webhookId: string;
  /** The webhook's URL, its `rtk_secret` masked (as the CLI prints it). */
  url: string;
  event: WebhookEvent;
  /** The delivery's `rtk-uuid` (the same on every attempt). */
  id: string;
  /** 1 for the first attempt. */
  attempt: number;
  /** The receiver's status, or `network-error` when no answer came. */
  status: number | 'network-error';
  /** `delivered` (2xx), `retrying` (5xx or no answer, attempts left) or `failed` (for good). */
  outcome: 'delivered' | 'retrying' | 'failed';
  at: string;
}

/** What happened to the event at one webhook. */
export interface EmitResult {
  webhookId: string;
  /** The webhook's URL, its `rtk_secret` masked (as the CLI prints it). */
  url: string;
  id: string;
  delivered: boolean;
  attempts: number;
  /** `host-not-allowed`: the webhook's URL is not on loopback nor in `allowHosts`; nothing was sent. */
  status: number | 'network-error' | 'host-not-allowed';
}

/** Options of one emit. */
export interface EmitOptions {
  /** Only the webhooks of this account. Default: every account. */
  accountId?: string | undefined;
  /** Only the webhooks of this app. Default: every app. */
  appId?: string | undefined;
  /** The payload to send (checked against the event's schema). Default: the spec's example as a new event. */
  payload?: unknown;
  /** How this emit retries. Default: the mock's policy. */
  retry?: Partial<RetryPolicy> | undefined;
}

/** At most this many attempts are kept in the log; the oldest go first. */
const MAX_LOGGED = 10_000;

function checkedRetry(retry: RetryPolicy): RetryPolicy {
  const { attempts, firstDelayMs } = retry;
  if (!(Number.isInteger(attempts) && attempts >= 1 && attempts <= 20)) {
    throw new RangeError('retry.attempts must be a whole number from 1 to 20');
  }
  if (!(Number.isFinite(firstDelayMs) && firstDelayMs >= 0 && firstDelayMs <= 60_000)) {
    throw new RangeError('retry.firstDelayMs must be a number of milliseconds from 0 to 60000');
  }
  return retry;
}

/** RealtimeKit's sending side of the fake: `emit` to the subscribed webhooks, and the attempts it made. */
export interface Emitter {
  /** Every attempt so far, of `scope` or of every scope. */
  deliveries(scope?: ScopeFilter): DeliveryAttempt[];
  /** Forgets the attempts of `scope`, or every attempt. */
  forget(scope?: ScopeFilter): void;
  /**
   * Sends `event` to every enabled webhook subscribed to it, of the scope given (an account, an
   * app, both) or of every scope; resolves once each is delivered or failed for good.
   */
  emit(event: WebhookEvent, options?: EmitOptions): Promise<EmitResult[]>;
}

/** Sends events to the webhooks in `store`, signed by `signer`; `log` holds every attempt. */
export function createEmitter(
  store: WebhookStore,
  signer: TestSigner,
  defaults: RetryPolicy,
  mayDeliverTo: (url: string) => boolean,
  closing?: AbortSignal,
): Emitter {
  const log: DeliveryAttempt[] = [];
  const record = (attempt: DeliveryAttempt) => {
    log.push(attempt);
    if (log.length > MAX_LOGGED) log.shift();
  };

  async function deliverTo(
    webhook: { id: string; url: string },
    scope: Scope,
    event: WebhookEvent,
    payload: unknown,
    retry: RetryPolicy,
  ): Promise<EmitResult> {
    const id = crypto.randomUUID();
    // Results and the log are read by tests and printed by the CLI: the secret stays out of both.
    const url = maskUrlSecret(webhook.url);
    if (!mayDeliverTo(webhook.url)) {
      const refused = 'host-not-allowed' as const;
      return {
        webhookId: webhook.id,
        url,
        id,
        delivered: false,
        attempts: 0,
        status: refused,
      };
    }
    let first: DeliveryResult | undefined;
    let status: number | 'network-error' = 'network-error';
    for (let attempt = 1; attempt <= retry.attempts; attempt += 1) {
      try {
        const result = await deliver(signer, event, {
          to: webhook.url,
          payload,
          id,
          webhookId: webhook.id,
          replay: first,
          timeoutMs: 10_000,
        });
        first ??= result;
        status = result.status;
      } catch (error) {
        if (error instanceof DeliveryInputError) throw error;
        status = 'network-error';
      }
      const delivered = typeof status === 'number' && status >= 200 && status < 300;
      const retryable = status === 'network-error' || status >= 500;
      const outcome = delivered
        ? 'delivered'
        : retryable && attempt < retry.attempts
          ? 'retrying'
          : 'failed';
      record({
        ...scope,
        webhookId: webhook.id,
        url,
        event,
        id,
        attempt,
        status,
        outcome,
        at: new Date().toISOString(),
      });
      if (outcome !== 'retrying' || closing?.aborted)
        return {
          webhookId: webhook.id,
          url,
          id,
          delivered,
          attempts: attempt,
          status,
        };
      await sleep(retry.firstDelayMs * 2 ** (attempt - 1), closing);
    }
    return {
      webhookId: webhook.id,
      url,
      id,
      delivered: false,
      attempts: retry.attempts,
      status,
    };
  }

  return {
    deliveries(scope?: ScopeFilter): DeliveryAttempt[] {
      return log.filter((entry) => inScope(entry, scope));
    },
    forget(scope?: ScopeFilter): void {
      log.splice(0, log.length, ...log.filter((entry) => !inScope(entry, scope)));
    },
    async emit(event: WebhookEvent, options: EmitOptions = {}): Promise<EmitResult[]> {
      const retry = checkedRetry({ ...defaults, ...options.retry });
      // One payload for the event, the same at every webhook (a new event unless one is given).
      const payload = options.payload ?? examplePayload(event);
      deliveryBody(event, { payload }); // a payload off the schema is refused before anything is sent
      const targets = store
        .list(options)
        .filter((webhook) => webhook.enabled && webhook.events.includes(event));
      return Promise.all(
        targets.map((webhook) =>
          deliverTo(webhook, store.scopeOf(webhook.id) as Scope, event, payload, retry),
        ),
      );
    },
  };
}
