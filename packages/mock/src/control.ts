// The stateful mock's state and faults, from any process: the test that started it, a vitest
// worker (the globalSetup runs the mock in the main process), or `rtk-webhooks trigger`.

import {
  type DeliverOptions,
  DeliveryInputError,
  type DeliveryResult,
} from '@realtimekit-webhooks/receiver/testing';
import type { Webhook, WebhookEvent } from '@realtimekit-webhooks/types';
import type { DeliveryAttempt, EmitOptions, EmitResult } from './stateful/emitter.js';
import type { MockFault } from './stateful/faults.js';
import type { ScopeFilter } from './stateful/store.js';

/** What a test can do to a running stateful mock. */
export interface MockControl {
  /** The control URL these calls go to (not the API: Prism is in front of that). */
  readonly controlUrl: string;
  /**
   * Forgets every webhook, delivery attempt and queued fault; with a scope, only the webhooks and
   * attempts of that account and/or app (faults are not scoped, and stay).
   */
  reset(scope?: ScopeFilter): Promise<void>;
  /** The webhooks that exist now, of `scope` (an account, an app, both) or of every scope. */
  webhooks(scope?: ScopeFilter): Promise<Webhook[]>;
  /**
   * Sends `event` as RealtimeKit would: to every enabled webhook subscribed to it (of the account
   * and app given, or of every one), each a delivery of its own, retried on a 5xx or no answer
   * and failed for good on any other non-2xx. Resolves once each is delivered or failed.
   */
  emit(event: WebhookEvent, options?: EmitOptions): Promise<EmitResult[]>;
  /** Every attempt `emit` made (of `scope`, or all), oldest first. */
  deliveries(scope?: ScopeFilter): Promise<DeliveryAttempt[]>;
  /** Faults for the next matching API requests, one request each. */
  readonly faults: {
    push(fault: MockFault): Promise<void>;
    clear(): Promise<void>;
  };
  /**
   * Signs a delivery of `event` with the mock's key (served at its `keyUrl`) and POSTs it to
   * `options.to`: the spec's example, or `options.payload` checked against the event's schema.
   */
  deliver<E extends WebhookEvent>(event: E, options: DeliverOptions<E>): Promise<DeliveryResult>;
}

/** `?accountId=..&appId=..` for the fields of `scope` that are set. */
function query(scope: ScopeFilter | undefined): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(scope ?? {})) {
    if (value !== undefined) params.set(key, value);
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

/** A control-API call; a refused one throws with the mock's reason. */
async function call(controlUrl: string, method: string, path: string, body?: unknown) {
  let response: Response;
  try {
    response = await fetch(`${controlUrl}/__mock/${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? null : JSON.stringify(body),
    });
  } catch (error) {
    const code = (error as { cause?: { code?: unknown } }).cause?.code;
    throw new Error(
      `could not reach the mock at ${controlUrl}: ${typeof code === 'string' ? code : (error as Error).message}`,
      { cause: error },
    );
  }
  const answer = (await response.json()) as { error?: string };
  // 400 from deliver is the mock refusing the input (unknown event, a payload off the schema):
  // the same error class as when the delivery is built in this process.
  if (response.status === 400 && (path === 'deliver' || path === 'emit'))
    throw new DeliveryInputError(answer.error ?? 'the mock refused the delivery');
  if (!response.ok) throw new Error(`mock ${path}: ${answer.error ?? response.status}`);
  return answer;
}

/**
 * Controls the stateful mock at `url`: its control URL (from `startMockServer` or `inject`), or any
 * URL it printed (its API base URL, its key URL: the API door forwards the control API).
 */
export function connectMock(url: string): MockControl {
  let base: string;
  try {
    base = new URL(url).origin;
  } catch {
    throw new TypeError(
      `connectMock needs the mock's URL (http://127.0.0.1:<port>), not ${JSON.stringify(url)}`,
    );
  }
  return {
    controlUrl: base,
    reset: async (scope) => {
      await call(base, 'POST', 'reset', scope ?? {});
    },
    webhooks: async (scope) =>
      (await call(base, 'GET', `webhooks${query(scope)}`)) as unknown as Webhook[],
    emit: async (event, options = {}) =>
      (await call(base, 'POST', 'emit', { event, ...options })) as unknown as EmitResult[],
    deliveries: async (scope) =>
      (await call(base, 'GET', `deliveries${query(scope)}`)) as unknown as DeliveryAttempt[],
    faults: {
      push: async (fault) => {
        await call(base, 'POST', 'faults', fault);
      },
      clear: async () => {
        await call(base, 'DELETE', 'faults');
      },
    },
    deliver: async (event, options) =>
      (await call(base, 'POST', 'deliver', { event, ...options })) as unknown as DeliveryResult,
  };
}
