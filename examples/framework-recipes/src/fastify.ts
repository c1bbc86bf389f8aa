// Fastify parses JSON bodies itself: inside a plugin of its own, the webhook route keeps the raw
// bytes (`parseAs: 'buffer'`), and hands them to `handleRaw`.
import type { DeliveryHandler, WebhookReceiver } from '@realtimekit-webhooks/receiver';
import Fastify, { type FastifyInstance } from 'fastify';

export function fastifyApp(
  receiver: WebhookReceiver,
  onDelivery: DeliveryHandler,
): FastifyInstance {
  const app = Fastify();
  void app.register(async (webhooks) => {
    // Encapsulated: the rest of the app keeps Fastify's JSON parser.
    webhooks.addContentTypeParser(
      'application/json',
      { parseAs: 'buffer' },
      (_request, body, done) => done(null, body),
    );
    webhooks.post('/rtk', async (request, reply) => {
      const result = await receiver.handleRaw(request.body as Buffer, request.headers, onDelivery);
      return reply.code(result.status).headers(result.headers).send(result.body);
    });
  });
  app.post('/orders', async (request) => ({ received: request.body }));
  return app;
}

/** The mistake the receiver names: Fastify's own JSON parser ran, so the body is an object. */
export function fastifyAppParsingFirst(receiver: WebhookReceiver, onDelivery: DeliveryHandler) {
  const app = Fastify();
  app.post('/rtk', async (request, reply) => {
    const result = await receiver.handleRaw(request.body as Buffer, request.headers, onDelivery);
    return reply.code(result.status).headers(result.headers).send(result.body);
  });
  return app;
}
