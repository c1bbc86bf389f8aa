// A Cloudflare Worker that receives RealtimeKit deliveries the way Cloudflare recommends (answer
// fast, do the slow work in the background) without losing any: `handle` hands each delivery to a
// Queue and answers 2xx only once the queue has it; the queue consumer does the slow work, with
// the queue's retries and a dead-letter queue. Every isolate shares one record of deliveries
// through a Durable Object, so a retry reaching another isolate is not queued twice.
//
//   # wrangler.toml
//   [[durable_objects.bindings]]
//   name = "RTK_SEEN"
//   class_name = "SeenDeliveriesObject"
//   [[migrations]]
//   tag = "v1"
//   new_sqlite_classes = ["SeenDeliveriesObject"]
//   [[queues.producers]]
//   queue = "rtk-deliveries"
//   binding = "DELIVERIES"
//   [[queues.consumers]]
//   queue = "rtk-deliveries"
//   max_retries = 5
//   dead_letter_queue = "rtk-deliveries-dlq"
import {
  createWebhookReceiver,
  type Delivery,
  type WebhookReceiver,
} from '@realtimekit-webhooks/receiver';
import {
  type DurableObjectNamespaceLike,
  durableObjectSeenStore,
} from '@realtimekit-webhooks/receiver/durable-object';

export { SeenDeliveriesObject } from '@realtimekit-webhooks/receiver/durable-object';

/** What is queued for a delivery: everything the slow work needs, as plain data. */
export type QueuedDelivery = Delivery extends infer D
  ? D extends Delivery
    ? Pick<D, 'id' | 'webhookId' | 'event' | 'eventName' | 'payload'>
    : never
  : never;

/** The parts of a Queue producer binding used here. */
export interface QueueLike<Body> {
  send(body: Body): Promise<void>;
}

/** The parts of a queue consumer's message batch used here. */
export interface MessageBatchLike<Body> {
  readonly queue: string;
  readonly messages: readonly { readonly body: Body; ack(): void; retry(): void }[];
}

/** Bindings and variables (wrangler.toml above). */
export interface Env {
  /** SPKI PEM key to verify with; unset means RealtimeKit's published key, fetched and cached. */
  RTK_WEBHOOK_PUBLIC_KEY?: string;
  RTK_SEEN: DurableObjectNamespaceLike;
  DELIVERIES: QueueLike<QueuedDelivery>;
}

/** The slow work for one delivery; a throw makes the queue retry it (then dead-letter it). */
export type ProcessDelivery = (delivery: QueuedDelivery, env: Env) => unknown;

/** The Worker: `fetch` receives deliveries, `queue` processes them. */
export function createWorker(processDelivery: ProcessDelivery) {
  // One receiver per isolate, so the signing key is fetched once and cached.
  let receiver: WebhookReceiver | undefined;
  return {
    async fetch(request: Request, env: Env): Promise<Response> {
      if (request.method !== 'POST' || new URL(request.url).pathname !== '/rtk')
        return new Response('not found', { status: 404 });
      receiver ??= createWebhookReceiver({
        publicKey: env.RTK_WEBHOOK_PUBLIC_KEY,
        seen: durableObjectSeenStore(env.RTK_SEEN),
      });
      // Accepted once queued: a send that fails throws, so the answer is 500 and RealtimeKit
      // retries; a send that succeeded is the queue's to deliver, with its own retries.
      return receiver.handle(request, ({ id, webhookId, event, eventName, payload }) =>
        env.DELIVERIES.send({ id, webhookId, event, eventName, payload } as QueuedDelivery),
      );
    },

    async queue(batch: MessageBatchLike<QueuedDelivery>, env: Env): Promise<void> {
      for (const message of batch.messages) {
        try {
          await processDelivery(message.body, env);
          message.ack();
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          console.error(
            `delivery ${message.body.id} (${message.body.eventName}) failed: ${reason}`,
          );
          message.retry();
        }
      }
    },
  };
}

export default createWorker((delivery) => {
  switch (delivery.event) {
    case 'meeting.ended':
      console.log(`meeting ${delivery.payload.meeting.id} ended (${delivery.payload.reason})`);
      break;
    case 'recording.statusUpdate':
      console.log(
        `recording ${delivery.payload.recording.id}: ${delivery.payload.recording.status}`,
      );
      break;
    default:
      console.log(`delivery ${delivery.id}: ${delivery.eventName}`);
  }
});
