// A Worker receiving deliveries on a D1 inbox, for the D1 tests in workerd: each delivery's
// effect is a row its handler adds to the inbox's batch. A payload's `d1Test.fail` makes the
// handler add its row and then throw.

import { type D1DatabaseLike, d1Inbox } from '../../src/d1.js';
import { createWebhookReceiver } from '../../src/index.js';

interface Env {
  DB: D1DatabaseLike;
  PUBLIC_KEY: string;
  ISOLATE: string;
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const inbox = d1Inbox(env.DB, { namespace: 'd1-test' });
    if (new URL(request.url).pathname === '/migrate') {
      await inbox.migrate();
      return new Response('migrated');
    }
    const receiver = createWebhookReceiver({
      publicKey: env.PUBLIC_KEY,
      seen: inbox,
      onError: () => {},
    });
    return receiver.handle(request, async (delivery, tx) => {
      tx.add(
        env.DB.prepare('INSERT INTO effects (delivery_id, isolate) VALUES (?, ?)').bind(
          delivery.id,
          env.ISOLATE,
        ),
      );
      // Time for a copy in the other isolate to arrive while this one holds the claim.
      await new Promise((resolve) => setTimeout(resolve, 20));
      if ((delivery.payload as { d1Test?: { fail?: boolean } }).d1Test?.fail)
        throw new Error('fails as planned');
    });
  },
};
