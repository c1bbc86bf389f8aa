// A Worker whose receivers share de-duplication through the Durable Object store: bundled from the
// packed receiver and run in workerd by run.mjs.
import { createWebhookReceiver } from '@realtimekit-webhooks/receiver';
import {
  durableObjectSeenStore,
  SeenDeliveriesObject,
} from '@realtimekit-webhooks/receiver/durable-object';

export { SeenDeliveriesObject };

export default {
  async fetch(request, env) {
    // A receiver per request, as separate isolates would have: only the object is shared.
    const receiver = createWebhookReceiver({
      publicKey: env.PUBLIC_KEY,
      seen: durableObjectSeenStore(env.SEEN),
    });
    if (new URL(request.url).pathname === '/forget') {
      await receiver.forget(await request.json());
      return new Response(null, { status: 204 });
    }
    try {
      const delivery = await receiver.verify(request);
      return Response.json({
        id: delivery.id,
        replayKey: delivery.replayKey,
        duplicate: delivery.duplicate,
      });
    } catch (error) {
      return new Response(error.message, { status: error.status ?? 500 });
    }
  },
};
