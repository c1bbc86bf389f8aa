// The stateful mock's state and faults, from any process: the test that started it, a vitest
// worker (the globalSetup runs the mock in the main process), or `rtk-webhooks trigger`.
import type { Webhook, WebhookEvent } from '@realtimekit-webhooks/types';
import { type DeliverOptions, DeliveryInputError, type DeliveryResult } from './deliveries.js';
import type { MockFault } from './stateful/fault-queue.js';

/** What a test can do to a running stateful mock. */
export interface MockControl {
  /** The control URL these calls go to (not the API: Prism is in front of that). */
  readonly controlUrl: string;
  /** Forgets every webhook and every queued fault. */
  reset(): Promise<void>;
  /** The webhooks that exist now, as the mock holds them. */
  webhooks(): Promise<Webhook[]>;
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

/** A control-API call; a refused one throws with the mock's reason. */
async function call(controlUrl: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${controlUrl}/__mock/${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? null : JSON.stringify(body),
  });
  const answer = (await response.json()) as { error?: string };
  // 400 from deliver is the mock refusing the input (unknown event, a payload off the schema):
  // the same error class as when the delivery is built in this process.
  if (response.status === 400 && path === 'deliver')
    throw new DeliveryInputError(answer.error ?? 'the mock refused the delivery');
  if (!response.ok) throw new Error(`mock ${path}: ${answer.error ?? response.status}`);
  return answer;
}

/** Controls the stateful mock whose control URL is `controlUrl` (from `startMockServer` or `inject`). */
export function connectMock(controlUrl: string): MockControl {
  const base = controlUrl.replace(/\/+$/, '');
  return {
    controlUrl: base,
    reset: async () => {
      await call(base, 'POST', 'reset');
    },
    webhooks: async () => (await call(base, 'GET', 'webhooks')) as unknown as Webhook[],
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
