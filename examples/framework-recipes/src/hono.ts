// Hono runs on the Fetch API: `c.req.raw` is the Request as it arrived, so `handle` reads its body.
import type { DeliveryHandler, WebhookReceiver } from '@realtimekit-webhooks/receiver';
import { Hono } from 'hono';

export function honoApp(receiver: WebhookReceiver, onDelivery: DeliveryHandler) {
  const app = new Hono();
  app.post('/rtk', (c) => receiver.handle(c.req.raw, onDelivery));
  return app;
}

/** The mistake the receiver names: a middleware read the body (`c.req.json()`) before the route. */
export function honoAppReadingFirst(receiver: WebhookReceiver, onDelivery: DeliveryHandler) {
  const app = new Hono();
  app.use(async (c, next) => {
    await c.req.json(); // e.g. a middleware that logs bodies
    await next();
  });
  app.post('/rtk', (c) => receiver.handle(c.req.raw, onDelivery));
  return app;
}
