// Express, with a global express.json() for the rest of the app: the webhook route is registered
// before it, so its body reaches the receiver unread (the signature covers those exact bytes).
import type { DeliveryHandler, WebhookReceiver } from '@realtimekit-webhooks/receiver';
import { nodeHandler } from '@realtimekit-webhooks/receiver/node';
import express, { type Express } from 'express';

export function expressApp(receiver: WebhookReceiver, onDelivery: DeliveryHandler): Express {
  const app = express();
  app.post('/rtk', nodeHandler(receiver, onDelivery)); // before express.json()
  app.use(express.json());
  app.post('/orders', (req, res) => void res.json({ received: req.body }));
  return app;
}

/** The mistake the receiver names: express.json() first, so the route gets a parsed object. */
export function expressAppParsingFirst(
  receiver: WebhookReceiver,
  onDelivery: DeliveryHandler,
): Express {
  const app = express();
  app.use(express.json());
  app.post('/rtk', nodeHandler(receiver, onDelivery));
  return app;
}

/** express.raw on the route, and no JSON parser before it: the adapter takes the bytes it leaves. */
export function expressAppRawRoute(
  receiver: WebhookReceiver,
  onDelivery: DeliveryHandler,
): Express {
  const app = express();
  app.post('/rtk', express.raw({ type: 'application/json' }), nodeHandler(receiver, onDelivery));
  return app;
}

/**
 * express.raw on the route does not undo a global express.json() registered before it: the JSON
 * parser has read the stream and left an object, so express.raw skips the request (its body is
 * marked read) and the receiver names the mistake.
 */
export function expressAppRawBehindJson(
  receiver: WebhookReceiver,
  onDelivery: DeliveryHandler,
): Express {
  const app = express();
  app.use(express.json());
  app.post('/rtk', express.raw({ type: 'application/json' }), nodeHandler(receiver, onDelivery));
  return app;
}
