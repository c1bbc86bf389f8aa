// A Fetch-API handler that receives RealtimeKit deliveries: `export default { fetch }` is what
// Cloudflare Workers serve (and Deno.serve / Bun.serve take the same function).
import {
  createWebhookReceiver,
  type Delivery,
  type WebhookReceiver,
  WebhookVerificationError,
} from '@realtimekit-webhooks/receiver';

/** Configuration, from Worker env bindings (or environment variables elsewhere). */
export interface Env {
  /** SPKI PEM key to verify with; unset means RealtimeKit's published key, fetched once. */
  RTK_WEBHOOK_PUBLIC_KEY?: string;
}

/** What the handler does with a verified, first-time delivery. */
export type OnDelivery = (delivery: Delivery) => void | Promise<void>;

/** Builds the handler; one receiver per isolate, so the key is fetched once and cached. */
export function createHandler(onDelivery: OnDelivery) {
  let receiver: WebhookReceiver | undefined;
  return async function fetch(request: Request, env: Env = {}): Promise<Response> {
    if (request.method !== 'POST' || new URL(request.url).pathname !== '/rtk')
      return new Response('not found', { status: 404 });
    receiver ??= createWebhookReceiver({ publicKey: env.RTK_WEBHOOK_PUBLIC_KEY });
    let delivery: Delivery;
    try {
      delivery = await receiver.verify(request);
    } catch (error) {
      if (error instanceof WebhookVerificationError)
        return new Response(error.reason, { status: error.status });
      throw error;
    }
    if (delivery.duplicate) return new Response(null, { status: 204 });
    try {
      await onDelivery(delivery);
    } catch {
      await receiver.forget(delivery); // RealtimeKit retries a 5xx: let that retry through
      return new Response('handler failed', { status: 500 });
    }
    return new Response(null, { status: 204 });
  };
}

export default {
  fetch: createHandler((delivery) => {
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
  }),
};
